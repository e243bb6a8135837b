package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.json.MalformedJsonException;

/**
 * A release statement exactly as the server sent it: the canonical JSON bytes a certifier signs to
 * approve, and their digest. An instance always holds bytes whose SHA-256 equals {@link #sha256()}
 * (checked against the server's {@code Sluice-Statement-Sha256} header when fetched).
 */
public final class Statement {
  private final byte[] bytes;
  private final Sha256 sha256;

  private Statement(byte[] bytes, Sha256 sha256) {
    this.bytes = bytes;
    this.sha256 = sha256;
  }

  /**
   * The statement {@code bytes}, checked against the digest the server declared for them.
   *
   * @throws TransportException if the bytes do not hash to {@code declared}
   */
  public static Statement verified(byte[] bytes, Sha256 declared) {
    Sha256 actual = Sha256.of(bytes);
    if (!actual.matches(declared)) {
      throw new TransportException(
          "the statement's bytes hash to "
              + actual
              + " but the server declared "
              + declared
              + "; refusing to use it");
    }
    return new Statement(bytes.clone(), actual);
  }

  /** A copy of the exact bytes: what an approval signs. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public Sha256 sha256() {
    return sha256;
  }

  /** The statement parsed, to show or cross-check what is about to be signed. */
  public JsonNode json() {
    try {
      return CanonicalJson.parse(bytes);
    } catch (MalformedJsonException e) {
      throw new TransportException("the server's statement is not JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Statement[sha256=" + sha256 + "]";
  }
}
