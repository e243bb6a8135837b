package dev.sluice.trust.tlog;

/**
 * A trusted public key that checks one kind of signature line in a C2SP signed note. A verifier is
 * configured out of band (typically as a vkey string); its name and key ID select the signature
 * lines it is responsible for, and every such line must verify.
 *
 * <p>Implementations other than {@link Ed25519NoteVerifier} (for example witness cosignatures,
 * which sign a different message) plug in here: see the package documentation.
 */
public interface NoteVerifier {
  /** The key name that appears in signature lines. */
  String name();

  /** The 32-bit key ID that starts each of this key's signatures. */
  int keyId();

  /**
   * Checks one signature over a note's text.
   *
   * @param noteText the note text, including its final newline, as UTF-8 bytes
   * @param signature the signature bytes after the 4-byte key ID
   * @throws NoteVerificationException if the signature is not valid
   */
  void verify(byte[] noteText, byte[] signature);

  /** This key as a vkey: {@code <name>+<hex key ID>+<base64(type || public key)>}. */
  String vkey();

  /**
   * Parses a vkey string, checking that the key ID matches the key.
   *
   * @throws MalformedNoteException if the vkey is malformed or its signature type is unsupported
   */
  static NoteVerifier parse(String vkey) {
    // Names and IDs never contain '+', but the base64 key material may.
    String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
    if (parts.length != 3 || !NoteKeys.isValidName(parts[0])) {
      throw new MalformedNoteException("a vkey is <name>+<hex key ID>+<base64 key>");
    }
    if (!parts[1].matches("[0-9a-f]{8}")) {
      throw new MalformedNoteException("vkey key ID is not 8 lowercase hex digits");
    }
    byte[] typedKey = NoteKeys.decodeBase64(parts[2]);
    if (typedKey == null || typedKey.length < 2) {
      throw new MalformedNoteException("vkey key material is not valid base64");
    }
    NoteVerifier verifier =
        switch (typedKey[0]) {
          case NoteKeys.TYPE_ED25519 -> Ed25519NoteVerifier.fromTypedKey(parts[0], typedKey);
          default ->
              throw new MalformedNoteException(
                  "unsupported vkey signature type 0x" + String.format("%02x", typedKey[0]));
        };
    if (!NoteKeys.hexId(verifier.keyId()).equals(parts[1])) {
      throw new MalformedNoteException("vkey key ID does not match its name and key");
    }
    return verifier;
  }
}
