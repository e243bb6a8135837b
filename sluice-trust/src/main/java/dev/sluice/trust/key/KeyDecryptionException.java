package dev.sluice.trust.key;

import java.nio.file.Path;

/**
 * An encrypted key file could not be opened: the passphrase is wrong, or the file (its ciphertext
 * or any of its authenticated parameters and attributes) was altered. The two cannot be told apart,
 * by design of authenticated encryption; nothing from such a file is ever used.
 */
public final class KeyDecryptionException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public KeyDecryptionException(Path path, Throwable cause) {
    super(
        path,
        "cannot decrypt "
            + path
            + ": the passphrase is wrong or the file was altered (the two look the same)",
        cause);
  }
}
