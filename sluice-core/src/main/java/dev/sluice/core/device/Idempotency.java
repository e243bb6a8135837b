package dev.sluice.core.device;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@code Idempotency-Key} as the client sent it, with the SHA-256 of the request it came with.
 * The key is a secret of the client's (the replayed answer's tokens derive from it): it is never
 * printed and only its hash, scoped to the caller, is stored.
 *
 * @param key 16-255 visible ASCII characters; a random UUID or 128 random bits are right
 * @param request the SHA-256 of what the request asks (media type and body)
 */
public record Idempotency(String key, Sha256 request) {
  private static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7E]{16,255}");

  public Idempotency {
    if (key == null || !FORMAT.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "an Idempotency-Key is 16-255 visible ASCII characters (use a random UUID)");
    }
    Objects.requireNonNull(request, "request");
  }

  @Override
  public String toString() {
    return "Idempotency[request=" + request.hex() + "]";
  }
}
