package dev.sluice.trust.key;

import java.nio.file.Path;

/**
 * An encrypted key could not be opened: the passphrase is wrong, or the key (its ciphertext or any
 * of its authenticated parameters and attributes) was altered. The two cannot be told apart, by
 * design of authenticated encryption; nothing from such a key is ever used.
 */
public final class KeyDecryptionException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public KeyDecryptionException(Path path, Throwable cause) {
    super(path, message(path.toString(), "file"), cause);
  }

  /**
   * For a key kept elsewhere than in a file ({@link #path()} is then null).
   *
   * @param source names the key (e.g. {@code "the database's key 'log'"})
   */
  public KeyDecryptionException(String source, Throwable cause) {
    super(null, message(source, "key"), cause);
  }

  private static String message(String source, String what) {
    return "cannot decrypt "
        + source
        + ": the passphrase is wrong or the "
        + what
        + " was altered (the two look the same)";
  }
}
