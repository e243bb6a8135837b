package dev.sluice.core.key;

import java.time.Instant;
import java.util.Objects;

/**
 * An online key as the database keeps it: its name, its purpose (e.g. {@code sluice.log-key/v1}),
 * and the secret sealed under the instances' passphrase ({@code sealed}: the UTF-8 JSON of {@code
 * dev.sluice.trust.key.EncryptedKeyFiles}, whose attributes, such as a log key's origin and
 * verifier key, are authenticated with the secret). Nothing here is secret without the passphrase;
 * {@link #toString()} still leaves the sealed bytes out.
 */
public record SealedKey(KeyName name, String purpose, String sealed, Instant createdAt) {
  /** The longest sealed key accepted (an Ed25519 key seals to well under 1 KiB). */
  public static final int MAX_SEALED_LENGTH = 16 * 1024;

  public SealedKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (purpose == null || purpose.isBlank() || purpose.length() > 100) {
      throw new IllegalArgumentException("a sealed key needs a purpose of 1-100 characters");
    }
    if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_SEALED_LENGTH) {
      throw new IllegalArgumentException(
          "a sealed key must be 1-" + MAX_SEALED_LENGTH + " characters");
    }
  }

  @Override
  public String toString() {
    return "SealedKey[" + name + ", " + purpose + ", created " + createdAt + "]";
  }
}
