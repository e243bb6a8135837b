package dev.sluice.trust.key;

import java.nio.file.Path;

/** No key file exists at the given path. */
public final class KeyFileNotFoundException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public KeyFileNotFoundException(Path path, Throwable cause) {
    super(path, "no key file at " + path, cause);
  }
}
