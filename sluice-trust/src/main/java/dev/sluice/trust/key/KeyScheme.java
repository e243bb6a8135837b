package dev.sluice.trust.key;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The signature schemes Sluice accepts, with their TUF names (TUF 1.0 §4.2 "keytype"/"scheme") and
 * JCA algorithms. Nothing outside this list is ever verified, so a document cannot downgrade a
 * verifier to a weaker algorithm.
 */
public enum KeyScheme {
  /** Ed25519 (RFC 8032); TUF public key value: lowercase hex of the raw 32-byte key. */
  ED25519("ed25519", "ed25519", "ed25519", "Ed25519", "Ed25519"),
  /**
   * ECDSA on NIST P-256 with SHA-256; TUF public key value: PEM SubjectPublicKeyInfo; signatures
   * are DER-encoded.
   */
  ECDSA_P256("ecdsa", "ecdsa-sha2-nistp256", "ecdsa-p256", "EC", "SHA256withECDSA");

  private final String keytype;
  private final String scheme;
  private final String cliName;
  private final String jcaKeyAlgorithm;
  private final String jcaSignatureAlgorithm;

  KeyScheme(
      String keytype,
      String scheme,
      String cliName,
      String jcaKeyAlgorithm,
      String jcaSignatureAlgorithm) {
    this.keytype = keytype;
    this.scheme = scheme;
    this.cliName = cliName;
    this.jcaKeyAlgorithm = jcaKeyAlgorithm;
    this.jcaSignatureAlgorithm = jcaSignatureAlgorithm;
  }

  /** The TUF {@code keytype}. */
  public String keytype() {
    return keytype;
  }

  /** The TUF {@code scheme}. */
  public String scheme() {
    return scheme;
  }

  /** The name used on the command line ({@code ed25519}, {@code ecdsa-p256}). */
  public String cliName() {
    return cliName;
  }

  String jcaKeyAlgorithm() {
    return jcaKeyAlgorithm;
  }

  String jcaSignatureAlgorithm() {
    return jcaSignatureAlgorithm;
  }

  /**
   * The scheme with this TUF keytype and scheme.
   *
   * @throws KeyFormatException if the pair is not supported
   */
  public static KeyScheme fromTuf(String keytype, String scheme) {
    for (KeyScheme s : values()) {
      if (s.keytype.equals(keytype) && s.scheme.equals(scheme)) {
        return s;
      }
    }
    throw new KeyFormatException(
        "unsupported key: keytype \""
            + keytype
            + "\" with scheme \""
            + scheme
            + "\" (supported: "
            + Arrays.stream(values())
                .map(s -> s.keytype + "/" + s.scheme)
                .collect(Collectors.joining(", "))
            + ")");
  }

  /**
   * The scheme with this command-line name.
   *
   * @throws KeyFormatException if no scheme has that name
   */
  public static KeyScheme fromCliName(String name) {
    for (KeyScheme s : values()) {
      if (s.cliName.equals(name)) {
        return s;
      }
    }
    throw new KeyFormatException(
        "unsupported key scheme \""
            + name
            + "\" (supported: "
            + Arrays.stream(values()).map(KeyScheme::cliName).collect(Collectors.joining(", "))
            + ")");
  }
}
