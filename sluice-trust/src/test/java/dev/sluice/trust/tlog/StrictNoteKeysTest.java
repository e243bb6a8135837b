package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.key.KeyFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Log and witness keys are held to the same strict Ed25519 rules as every other key. */
class StrictNoteKeysTest {
  private static final String IDENTITY = "01" + "00".repeat(31);

  @Test
  void aSmallOrderLogKeyIsRefused() {
    assertThatThrownBy(() -> Ed25519NoteVerifier.create("log.example", new byte[32]))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("small order");
  }

  @Test
  void aSmallOrderVkeyIsRefused() {
    byte[] typed = new byte[33];
    typed[0] = NoteKeys.TYPE_ED25519;
    System.arraycopy(HexFormat.of().parseHex(IDENTITY), 0, typed, 1, 32);
    int id = NoteKeys.keyId("log.example", NoteKeys.TYPE_ED25519, Arrays.copyOfRange(typed, 1, 33));
    String vkey =
        "log.example+" + NoteKeys.hexId(id) + "+" + Base64.getEncoder().encodeToString(typed);

    assertThatThrownBy(() -> NoteVerifier.parse(vkey))
        .isInstanceOf(MalformedNoteException.class)
        .hasMessageContaining("small order");
  }

  @Test
  void aCheckpointSignedWithoutAPrivateKeyIsRefused() {
    NoteSigner signer = NoteSigner.generate("log.example");
    String text = "log.example\n1\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
    // R = identity, S = 0, under the real log key's name and key ID.
    byte[] blob = new byte[4 + 64];
    blob[0] = (byte) (signer.keyId() >>> 24);
    blob[1] = (byte) (signer.keyId() >>> 16);
    blob[2] = (byte) (signer.keyId() >>> 8);
    blob[3] = (byte) signer.keyId();
    blob[4] = 1;
    String note = text + "\n\u2014 log.example " + Base64.getEncoder().encodeToString(blob) + "\n";

    assertThatThrownBy(
            () -> SignedNote.open(note.getBytes(StandardCharsets.UTF_8), signer.verifier()))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("small order");
  }
}
