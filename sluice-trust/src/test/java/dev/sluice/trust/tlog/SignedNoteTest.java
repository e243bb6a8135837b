package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  // C2SP signed-note, "Verifier keys" example.
  private static final String SPEC_VKEY =
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
  private static final String SPEC_NOTE =
      "This is an example message.\n\n"
          + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYj"
          + "OBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  // golang.org/x/mod/sumdb/note reference keys and signatures (note_test.go).
  private static final String PETER_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String PETER_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String ENOCH_VKEY =
      "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  private static final String TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  private static final String PETER_SIG =
      "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
          + "gotpRZb6KE6RyyBwJnAM=\n";
  private static final String ENOCH_SIG =
      "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwn"
          + "WLox33WWd1RvMc+QQ=\n";

  private static final NoteVerifier PETER = NoteVerifier.parse(PETER_VKEY);
  private static final NoteVerifier ENOCH = NoteVerifier.parse(ENOCH_VKEY);

  @Test
  void specExampleNoteVerifiesWithSpecExampleKey() {
    NoteVerifier verifier = NoteVerifier.parse(SPEC_VKEY);

    VerifiedNote note = SignedNote.open(utf8(SPEC_NOTE), verifier);

    assertThat(note.text()).isEqualTo("This is an example message.\n");
    assertThat(note.isSignedBy("example.com/foo")).isTrue();
    assertThat(verifier.vkey()).isEqualTo(SPEC_VKEY);
    assertThat(verifier.keyId()).isEqualTo(0x530d903a);
  }

  @Test
  void signingWithTheReferenceKeyReproducesTheReferenceNote() {
    NoteSigner signer = NoteSigner.parse(PETER_SKEY);

    assertThat(signer.verifier().vkey()).isEqualTo(PETER_VKEY);
    assertThat(signer.keyId()).isEqualTo(0xc74f20a3);
    assertThat(SignedNote.sign(TEXT, signer)).isEqualTo(TEXT + "\n" + PETER_SIG);
    assertThat(signer.exportPrivateKey()).isEqualTo(PETER_SKEY);
  }

  @Test
  void signatureFromUnknownKeyIsIgnoredButReported() {
    VerifiedNote note = SignedNote.open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG), PETER);

    assertThat(note.text()).isEqualTo(TEXT);
    assertThat(note.verifiedSignatures())
        .extracting(NoteSignature::keyName)
        .containsExactly("PeterNeumann");
    assertThat(note.unknownSignatures())
        .extracting(NoteSignature::keyId)
        .containsExactly(0xaf0cfe78);
    assertThat(note.isSignedBy("EnochRoot")).isFalse();
  }

  @Test
  void everyConfiguredSignerIsVerified() {
    VerifiedNote note = SignedNote.open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG), PETER, ENOCH);

    assertThat(note.verifiedSignatures())
        .extracting(NoteSignature::keyName)
        .containsExactly("PeterNeumann", "EnochRoot");
    assertThat(note.unknownSignatures()).isEmpty();
  }

  @Test
  void noteWithoutAKnownSignatureIsRejected() {
    assertThatThrownBy(() -> SignedNote.open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG)))
        .isInstanceOfSatisfying(
            NoteVerificationException.class, e -> assertThat(e.keyName()).isNull());
  }

  @Test
  void keyWithSameNameButOtherIdDoesNotVerify() {
    NoteVerifier impostor = NoteSigner.generate("PeterNeumann").verifier();

    assertThatThrownBy(() -> SignedNote.open(utf8(TEXT + "\n" + PETER_SIG), impostor))
        .isInstanceOf(NoteVerificationException.class);
  }

  @Test
  void alteredTextIsRejected() {
    String altered = TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG;

    assertThatThrownBy(() -> SignedNote.open(utf8(altered), PETER))
        .isInstanceOfSatisfying(
            NoteVerificationException.class,
            e -> assertThat(e.keyName()).isEqualTo("PeterNeumann"));
  }

  @Test
  void invalidSignatureFromKnownKeyRejectsTheWholeNote() {
    String corrupted = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);

    assertThatThrownBy(
            () -> SignedNote.open(utf8(TEXT + "\n" + ENOCH_SIG + corrupted), PETER, ENOCH))
        .isInstanceOf(NoteVerificationException.class);
  }

  @Test
  void twoConfiguredKeysWithTheSameNameAndIdAreAmbiguous() {
    NoteVerifier lookalike = new FixedIdVerifier("EnochRoot", ENOCH.keyId());

    assertThatThrownBy(() -> SignedNote.open(utf8(TEXT + "\n" + ENOCH_SIG), ENOCH, lookalike))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("ambiguous");
    assertThat(SignedNote.open(utf8(TEXT + "\n" + PETER_SIG), ENOCH, lookalike, PETER).text())
        .isEqualTo(TEXT);
    assertThat(SignedNote.open(utf8(TEXT + "\n" + ENOCH_SIG), ENOCH, ENOCH).text()).isEqualTo(TEXT);
  }

  @Test
  void repeatedSignatureLinesCountOnce() {
    VerifiedNote note =
        SignedNote.open(utf8(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG), PETER);

    assertThat(note.verifiedSignatures()).hasSize(1);
    assertThat(note.unknownSignatures()).hasSize(1);
  }

  @Test
  void malformedNotesAreRejectedBeforeAnyVerification() {
    List<String> malformed =
        List.of(
            TEXT,
            TEXT + "\n",
            TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
            "\u0001" + TEXT + "\n" + PETER_SIG,
            TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
            TEXT
                + "\n"
                + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
                + "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
            TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
            TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",
            TEXT + "\n" + "\u2014 PeterNeumann\n",
            TEXT
                + "\n"
                + "\u2014 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUg"
                + "YN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            TEXT + "\n" + PETER_SIG.repeat(SignedNote.MAX_SIGNATURES + 1));
    for (String note : malformed) {
      assertThatThrownBy(() -> SignedNote.open(utf8(note), PETER))
          .as("%s", note)
          .isInstanceOf(MalformedNoteException.class);
    }
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] note = utf8(TEXT + "\n" + PETER_SIG);
    note[0] = (byte) 0xff;

    assertThatThrownBy(() -> SignedNote.open(note, PETER))
        .isInstanceOf(MalformedNoteException.class);
  }

  @Test
  void textMayContainBlankLinesBeforeTheSignatureBlock() {
    NoteSigner signer = NoteSigner.generate("example.com/log");
    String text = "first\n\nsecond after a blank line\n\n";

    VerifiedNote note = SignedNote.open(utf8(SignedNote.sign(text, signer)), signer.verifier());

    assertThat(note.text()).isEqualTo(text);
  }

  @Test
  void generatedKeysSignAndVerifyWithSeveralSigners() {
    NoteSigner log = NoteSigner.generate("sluice.example/log");
    NoteSigner other = NoteSigner.generate("sluice.example/other");
    String text = "sluice.example/log\n42\n" + MerkleHash.emptyRoot().base64() + "\n";

    String note = SignedNote.sign(text, log, other);
    VerifiedNote opened =
        SignedNote.open(utf8(note), NoteVerifier.parse(log.verifier().vkey()), other.verifier());

    assertThat(opened.verifiedSignatures()).hasSize(2);
    assertThat(NoteSigner.parse(log.exportPrivateKey()).verifier()).isEqualTo(log.verifier());
  }

  @Test
  void signerNeverPrintsItsPrivateKey() {
    NoteSigner signer = NoteSigner.parse(PETER_SKEY);
    String seed = PETER_SKEY.substring(PETER_SKEY.lastIndexOf('+') + 1);

    assertThat(signer.toString()).isEqualTo("NoteSigner[PeterNeumann+c74f20a3]");
    assertThat(signer.toString()).doesNotContain(seed);
  }

  @Test
  void textThatCannotBeSignedIsRefused() {
    NoteSigner signer = NoteSigner.generate("example.com/log");

    assertThatThrownBy(() -> SignedNote.sign("no newline", signer))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.sign("tab\there\n", signer))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.sign("lone \ud800 surrogate\n", signer))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.sign(TEXT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteSigner.generate("bad name"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteSigner.generate("bad+name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manglingAVerifierKeyMakesItUnparseable() {
    // As the reference implementation checks: every strict substring and every one-byte change.
    for (int i = 0; i < PETER_VKEY.length(); i++) {
      for (int j = i + 1; j <= PETER_VKEY.length(); j++) {
        if (i != 0 || j != PETER_VKEY.length()) {
          assertUnparseable(PETER_VKEY.substring(i, j));
        }
      }
    }
    char[] chars = PETER_VKEY.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i]++;
      assertUnparseable(new String(chars));
      chars[i]--;
    }
    // Wrong key length and unknown algorithm, each with a key ID adjusted to match.
    assertUnparseable("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==");
    assertUnparseable("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  }

  @Test
  void manglingASignerKeyMakesItUnparseable() {
    assertThatThrownBy(() -> NoteSigner.parse(PETER_SKEY.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(MalformedNoteException.class);
    assertThatThrownBy(() -> NoteSigner.parse(PETER_SKEY.substring(1)))
        .isInstanceOf(MalformedNoteException.class);
    assertThatThrownBy(() -> NoteSigner.parse(PETER_VKEY))
        .isInstanceOf(MalformedNoteException.class);
  }

  private static void assertUnparseable(String vkey) {
    assertThatThrownBy(() -> NoteVerifier.parse(vkey))
        .as("%s", vkey)
        .isInstanceOf(MalformedNoteException.class);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A different key that happens to claim the same name and key ID. */
  private record FixedIdVerifier(String name, int keyId) implements NoteVerifier {
    @Override
    public void verify(byte[] noteText, byte[] signature) {
      throw new NoteVerificationException(name, "never verifies");
    }

    @Override
    public String vkey() {
      return name + "+lookalike";
    }
  }
}
