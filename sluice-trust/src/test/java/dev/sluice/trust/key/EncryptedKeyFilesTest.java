package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedKeyFilesTest {
  private static final byte[] SECRET = "PRIVATE+KEY+example".getBytes(StandardCharsets.UTF_8);
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  private static final Map<String, String> ATTRIBUTES = Map.of("origin", "example.com/log");
  private static final int FAST = EncryptedKeyFiles.MIN_ITERATIONS;

  @TempDir Path dir;

  @Test
  void secretRoundTripsWithItsAttributesAndTheFileIsOwnerReadableOnly() throws IOException {
    Path file = dir.resolve("keys/log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);

    try (EncryptedKeyFiles.Decrypted opened = EncryptedKeyFiles.read(file, PASSPHRASE)) {
      assertThat(opened.secret(SecretAccess.I_WILL_PROTECT_THIS)).isEqualTo(SECRET);
      assertThat(opened.attributes()).isEqualTo(ATTRIBUTES);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(EncryptedKeyFiles.readAttributes(file)).isEqualTo(ATTRIBUTES);
  }

  @Test
  void theSecretIsNotStoredInClearAndTheParametersAreRecorded() throws IOException {
    Path file = dir.resolve("log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, false);

    String text = Files.readString(file);
    ObjectNode json = (ObjectNode) CanonicalJson.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(text).doesNotContain("PRIVATE+KEY");
    assertThat(json.get("kdf").get("name").asText()).isEqualTo("PBKDF2-HMAC-SHA256");
    assertThat(json.get("kdf").get("iterations").asInt())
        .isEqualTo(EncryptedKeyFiles.DEFAULT_ITERATIONS)
        .isGreaterThanOrEqualTo(310_000);
    assertThat(Base64.getDecoder().decode(json.get("kdf").get("salt").asText())).hasSize(16);
    assertThat(json.get("cipher").get("name").asText()).isEqualTo("AES-256-GCM");
    assertThat(Base64.getDecoder().decode(json.get("cipher").get("nonce").asText())).hasSize(12);
  }

  @Test
  void twoFilesOfTheSameSecretDifferInSaltNonceAndCiphertext() throws IOException {
    EncryptedKeyFiles.write(dir.resolve("a"), SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);
    EncryptedKeyFiles.write(dir.resolve("b"), SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);
    ObjectNode a = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(dir.resolve("a")));
    ObjectNode b = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(dir.resolve("b")));

    assertThat(a.get("kdf").get("salt")).isNotEqualTo(b.get("kdf").get("salt"));
    assertThat(a.get("cipher").get("nonce")).isNotEqualTo(b.get("cipher").get("nonce"));
    assertThat(a.get("ciphertext")).isNotEqualTo(b.get("ciphertext"));
  }

  @Test
  void wrongPassphraseIsRefused() {
    Path file = dir.resolve("log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);

    assertThatThrownBy(() -> EncryptedKeyFiles.read(file, "wrong".toCharArray()))
        .isInstanceOf(KeyDecryptionException.class)
        .hasMessageContaining("passphrase is wrong");
  }

  @Test
  void alteredAttributeIsRefusedEvenWithTheRightPassphrase() throws IOException {
    Path file = dir.resolve("log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);
    ObjectNode json = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(file));
    ((ObjectNode) json.get("attributes")).put("origin", "evil.example/log");
    Files.writeString(file, json.toString());

    assertThatThrownBy(() -> EncryptedKeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(KeyDecryptionException.class);
  }

  @Test
  void alteredCiphertextIsRefused() throws IOException {
    Path file = dir.resolve("log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);
    ObjectNode json = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(file));
    byte[] ciphertext = Base64.getDecoder().decode(json.get("ciphertext").asText());
    ciphertext[0] ^= 1;
    json.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
    Files.writeString(file, json.toString());

    assertThatThrownBy(() -> EncryptedKeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(KeyDecryptionException.class);
  }

  @Test
  void tooFewIterationsAreRefusedOnWriteAndOnRead() throws IOException {
    Path file = dir.resolve("log.key");
    assertThatThrownBy(
            () -> EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, 100_000, false))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("iterations");

    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);
    ObjectNode json = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(file));
    ((ObjectNode) json.get("kdf")).put("iterations", 1000);
    Files.writeString(file, json.toString());
    assertThatThrownBy(() -> EncryptedKeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("iterations");
  }

  @Test
  void anExistingFileIsNotReplacedUnlessAsked() {
    Path file = dir.resolve("log.key");
    EncryptedKeyFiles.write(file, SECRET, ATTRIBUTES, PASSPHRASE, FAST, false);

    assertThatThrownBy(
            () -> EncryptedKeyFiles.write(file, SECRET, Map.of(), PASSPHRASE, FAST, false))
        .isInstanceOf(KeyFileExistsException.class);
    assertThat(EncryptedKeyFiles.readAttributes(file)).isEqualTo(ATTRIBUTES);
  }

  @Test
  void aPlainKeyFileIsNotMistakenForAnEncryptedOne() throws IOException {
    Path file = dir.resolve("plain.json");
    Files.writeString(file, "{\"keytype\":\"ed25519\"}");

    assertThatThrownBy(() -> EncryptedKeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not an encrypted key file");
    assertThatThrownBy(() -> EncryptedKeyFiles.read(dir.resolve("missing"), PASSPHRASE))
        .isInstanceOf(KeyFileNotFoundException.class);
  }

  @Test
  void emptyPassphraseIsRefused() {
    assertThatThrownBy(
            () ->
                EncryptedKeyFiles.write(
                    dir.resolve("k"), SECRET, ATTRIBUTES, new char[0], FAST, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sealedBytesAreAKeyFilesContentAndOpenWhereverTheyAreKept() throws IOException {
    byte[] sealed = EncryptedKeyFiles.seal("the key 'log'", SECRET, ATTRIBUTES, PASSPHRASE, FAST);
    Path file = dir.resolve("log.key");
    Files.write(file, sealed);

    try (EncryptedKeyFiles.Decrypted fromBytes =
            EncryptedKeyFiles.open("the key 'log'", sealed, PASSPHRASE);
        EncryptedKeyFiles.Decrypted fromFile = EncryptedKeyFiles.read(file, PASSPHRASE)) {
      assertThat(fromBytes.secret(SecretAccess.I_WILL_PROTECT_THIS)).isEqualTo(SECRET);
      assertThat(fromFile.secret(SecretAccess.I_WILL_PROTECT_THIS)).isEqualTo(SECRET);
      assertThat(fromBytes.attributes()).isEqualTo(ATTRIBUTES);
    }
    assertThat(EncryptedKeyFiles.attributes("the key 'log'", sealed)).isEqualTo(ATTRIBUTES);
  }

  @Test
  void sealedBytesWithAWrongPassphraseOrAlteredAreRefusedNamingTheirSource() {
    byte[] sealed = EncryptedKeyFiles.seal("the key 'log'", SECRET, ATTRIBUTES, PASSPHRASE, FAST);
    byte[] altered =
        new String(sealed, StandardCharsets.UTF_8)
            .replace("example.com/log", "evil.example/log")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> EncryptedKeyFiles.open("the key 'log'", sealed, "wrong".toCharArray()))
        .isInstanceOf(KeyDecryptionException.class)
        .hasMessageContaining("the key 'log'")
        .hasMessageContaining("passphrase is wrong");
    assertThatThrownBy(() -> EncryptedKeyFiles.open("the key 'log'", altered, PASSPHRASE))
        .isInstanceOf(KeyDecryptionException.class);
    assertThatThrownBy(
            () ->
                EncryptedKeyFiles.open(
                    "the key 'log'", "{}".getBytes(StandardCharsets.UTF_8), PASSPHRASE))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("the key 'log'");
  }

  @Test
  void aSealerDerivesOneKeyForEverySecretItSealsAndTheirBytesStayTheFileFormat() {
    byte[] first;
    byte[] second;
    try (EncryptedKeyFiles.Sealer sealer = new EncryptedKeyFiles.Sealer(PASSPHRASE)) {
      first = sealer.seal("the key 'log'", SECRET, ATTRIBUTES);
      second =
          sealer.seal("the key 'timestamp'", "OTHER".getBytes(StandardCharsets.UTF_8), Map.of());
      assertThat(sealer.derivations()).isEqualTo(1);
    }
    assertThat(kdfSalt(first)).isEqualTo(kdfSalt(second));
    assertThat(CanonicalJson.parse(first).get("cipher").get("nonce"))
        .isNotEqualTo(CanonicalJson.parse(second).get("cipher").get("nonce"));
    // A new process opens them both with one derivation, and so does the plain reader.
    try (EncryptedKeyFiles.Sealer restarted = new EncryptedKeyFiles.Sealer(PASSPHRASE);
        EncryptedKeyFiles.Decrypted a = restarted.open("log", first);
        EncryptedKeyFiles.Decrypted b = restarted.open("timestamp", second);
        EncryptedKeyFiles.Decrypted plain = EncryptedKeyFiles.open("log", first, PASSPHRASE)) {
      assertThat(a.secret(SecretAccess.I_WILL_PROTECT_THIS)).isEqualTo(SECRET);
      assertThat(a.attributes()).isEqualTo(ATTRIBUTES);
      assertThat(b.secret(SecretAccess.I_WILL_PROTECT_THIS))
          .isEqualTo("OTHER".getBytes(StandardCharsets.UTF_8));
      assertThat(plain.secret(SecretAccess.I_WILL_PROTECT_THIS)).isEqualTo(SECRET);
      assertThat(restarted.derivations()).isEqualTo(1);
    }
  }

  @Test
  void aSealerOpensSecretsOfOtherSaltsAndSealsNewOnesUnderTheFirstItMet() {
    byte[] old1 = EncryptedKeyFiles.seal("old1", SECRET, ATTRIBUTES, PASSPHRASE);
    byte[] old2 = EncryptedKeyFiles.seal("old2", SECRET, ATTRIBUTES, PASSPHRASE);
    assertThat(kdfSalt(old1)).isNotEqualTo(kdfSalt(old2));
    try (EncryptedKeyFiles.Sealer sealer = new EncryptedKeyFiles.Sealer(PASSPHRASE)) {
      sealer.open("old1", old1).close();
      sealer.open("old2", old2).close();
      sealer.open("old1", old1).close();
      assertThat(sealer.derivations()).isEqualTo(2);
      byte[] added = sealer.seal("new", SECRET, ATTRIBUTES);
      assertThat(kdfSalt(added)).isEqualTo(kdfSalt(old1));
      assertThat(sealer.derivations()).isEqualTo(2);
    }
  }

  @Test
  void aSealerWithTheWrongPassphraseOpensNothingAndRefusesAnEmptyOne() {
    byte[] sealed;
    try (EncryptedKeyFiles.Sealer sealer = new EncryptedKeyFiles.Sealer(PASSPHRASE)) {
      sealed = sealer.seal("log", SECRET, ATTRIBUTES);
    }
    try (EncryptedKeyFiles.Sealer wrong = new EncryptedKeyFiles.Sealer("wrong".toCharArray())) {
      assertThatThrownBy(() -> wrong.open("the key 'log'", sealed))
          .isInstanceOf(KeyDecryptionException.class);
      assertThatThrownBy(() -> wrong.open("the key 'log'", sealed))
          .isInstanceOf(KeyDecryptionException.class);
    }
    assertThatThrownBy(() -> new EncryptedKeyFiles.Sealer(new char[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String kdfSalt(byte[] sealed) {
    return CanonicalJson.parse(sealed).get("kdf").get("salt").asText();
  }
}
