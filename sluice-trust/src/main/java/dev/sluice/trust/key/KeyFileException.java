package dev.sluice.trust.key;

import dev.sluice.trust.TrustException;
import java.nio.file.Path;

/** A key file could not be read or written (I/O failure, missing file, refused overwrite). */
public class KeyFileException extends TrustException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public KeyFileException(Path path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  public KeyFileException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** The key file concerned. */
  public Path path() {
    return path;
  }
}
