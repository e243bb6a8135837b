package dev.sluice.trust.key;

import java.nio.file.Path;

/**
 * Writing a key file was refused because a file already exists at the path; overwriting a private
 * key by accident would destroy it for good.
 */
public final class KeyFileExistsException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public KeyFileExistsException(Path path) {
    super(path, "refusing to overwrite existing file " + path);
  }
}
