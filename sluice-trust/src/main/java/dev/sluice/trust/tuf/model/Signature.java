package dev.sluice.trust.tuf.model;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One entry of a metadata file's {@code signatures} (TUF 1.0 §4.3): the signing key's id and the
 * signature in lowercase hex. Whether it is valid is decided only when counted against a role.
 */
public record Signature(String keyId, String sig) {
  private static final Pattern LOWER_HEX = Pattern.compile("([0-9a-f]{2})+");

  public Signature {
    Checks.keyId(keyId);
    if (sig == null || !LOWER_HEX.matcher(sig).matches()) {
      throw new IllegalArgumentException("a signature is non-empty lowercase hex");
    }
  }

  static Signature of(String keyId, byte[] signature) {
    return new Signature(keyId, HexFormat.of().formatHex(signature));
  }

  /** The signature bytes. */
  public byte[] bytes() {
    return HexFormat.of().parseHex(sig);
  }
}
