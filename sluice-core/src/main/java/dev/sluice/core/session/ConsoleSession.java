package dev.sluice.core.session;

import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * A console sign-in as the database keeps it, shared by every instance. {@code id} is a hash of the
 * session cookie, never the cookie; {@code sealedToken} is the signed-in user's API token encrypted
 * under a key derived from the cookie, so the table alone opens no session and reveals no token.
 * {@code csrf} is the session's CSRF token (useless without the cookie).
 */
public record ConsoleSession(
    Sha256 id, String sealedToken, String csrf, Instant createdAt, Instant lastUsedAt) {
  /** The longest sealed token accepted (API tokens are well under 200 characters). */
  public static final int MAX_SEALED_LENGTH = 1024;

  public ConsoleSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    if (sealedToken == null || sealedToken.isEmpty() || sealedToken.length() > MAX_SEALED_LENGTH) {
      throw new IllegalArgumentException(
          "a sealed session token must be 1-" + MAX_SEALED_LENGTH + " characters");
    }
    if (csrf == null || csrf.isEmpty() || csrf.length() > 100) {
      throw new IllegalArgumentException("a session's CSRF token must be 1-100 characters");
    }
  }

  @Override
  public String toString() {
    return "ConsoleSession[created=" + createdAt + ", lastUsed=" + lastUsedAt + "]";
  }
}
