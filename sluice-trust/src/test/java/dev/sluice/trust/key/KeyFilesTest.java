package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.testing.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyFilesTest {
  private static final byte[] MESSAGE = "checkpoint".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void privateKeyFileRoundTripsAndIsOwnerReadableOnly(KeyScheme scheme) throws IOException {
    SigningKey key = TestKeys.generate(scheme);
    Path file = dir.resolve("keys/" + scheme.cliName() + ".json");

    KeyFiles.writePrivate(file, key);
    SigningKey read = KeyFiles.readPrivate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(read.keyId()).isEqualTo(key.keyId());
    assertThatCode(() -> key.verificationKey().verify(MESSAGE, read.sign(MESSAGE)))
        .doesNotThrowAnyException();
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void privateKeyFileHasTheDocumentedLayout() throws IOException {
    SigningKey key = TestKeys.fixedEd25519();
    Path file = dir.resolve("root.json");
    KeyFiles.writePrivate(file, key);

    JsonNode json = CanonicalJson.parse(Files.readAllBytes(file));

    assertThat(json.get("keytype").textValue()).isEqualTo("ed25519");
    assertThat(json.get("scheme").textValue()).isEqualTo("ed25519");
    assertThat(json.get("keyid").textValue()).isEqualTo(key.keyId());
    assertThat(json.get("keyval").get("public").textValue())
        .isEqualTo(TestKeys.RFC8032_TEST1_PUBLIC);
    assertThat(Base64.getDecoder().decode(json.get("keyval").get("private").textValue()))
        .isEqualTo(key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS));
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void publicKeyFileRoundTripsAsTufKeyPlusKeyId(KeyScheme scheme) throws IOException {
    VerificationKey key = TestKeys.generate(scheme).verificationKey();
    Path file = dir.resolve("pub.json");

    KeyFiles.writePublic(file, key);

    assertThat(KeyFiles.readPublic(file)).isEqualTo(key);
    JsonNode json = CanonicalJson.parse(Files.readAllBytes(file));
    ObjectNode expected = key.toTufJson().put("keyid", key.keyId());
    assertThat(json).isEqualTo(expected);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void readPublicOfAPrivateKeyFileYieldsOnlyThePublicKey() {
    SigningKey key = TestKeys.ecdsaP256();
    Path file = dir.resolve("priv.json");
    KeyFiles.writePrivate(file, key);

    VerificationKey read = KeyFiles.readPublic(file);

    assertThat(read).isEqualTo(key.verificationKey());
    assertThat(read.toTufJson().get("keyval").has("private")).isFalse();
  }

  @Test
  void readPublicAcceptsABareTufKeyObject() throws IOException {
    VerificationKey key = TestKeys.ed25519().verificationKey();
    Path file = dir.resolve("bare.json");
    Files.write(file, CanonicalJson.encode(key.toTufJson()));

    assertThat(KeyFiles.readPublic(file)).isEqualTo(key);
  }

  @Test
  void anExistingFileIsNotOverwrittenUnlessAsked() throws IOException {
    Path file = dir.resolve("key.json");
    SigningKey first = TestKeys.ed25519();
    SigningKey second = TestKeys.ed25519();
    KeyFiles.writePrivate(file, first);

    assertThatThrownBy(() -> KeyFiles.writePrivate(file, second))
        .isInstanceOf(KeyFileExistsException.class)
        .extracting(e -> ((KeyFileExistsException) e).path())
        .isEqualTo(file);
    assertThatThrownBy(() -> KeyFiles.writePublic(file, second.verificationKey()))
        .isInstanceOf(KeyFileExistsException.class);
    assertThat(KeyFiles.readPrivate(file).keyId()).isEqualTo(first.keyId());

    KeyFiles.writePrivate(file, second, true);
    assertThat(KeyFiles.readPrivate(file).keyId()).isEqualTo(second.keyId());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aTamperedKeyIdIsRefused() throws IOException {
    Path file = dir.resolve("key.json");
    KeyFiles.writePrivate(file, TestKeys.ed25519());
    String otherKeyId = TestKeys.ed25519().keyId();
    rewrite(file, json -> json.put("keyid", otherKeyId));

    assertThatThrownBy(() -> KeyFiles.readPrivate(file))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("keyid")
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> KeyFiles.readPublic(file)).isInstanceOf(KeyFormatException.class);
  }

  @Test
  void aPublicKeySwappedIntoAPrivateKeyFileIsRefused() throws IOException {
    Path file = dir.resolve("key.json");
    KeyFiles.writePrivate(file, TestKeys.ed25519());
    VerificationKey other = TestKeys.ed25519().verificationKey();
    rewrite(
        file,
        json -> {
          json.put("keyid", other.keyId());
          ((ObjectNode) json.get("keyval")).put("public", other.publicValue());
        });

    assertThatThrownBy(() -> KeyFiles.readPrivate(file))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("private key does not match public key");
  }

  @Test
  void aPrivateKeyFileWithoutKeyIdOrPrivatePartIsRefused() throws IOException {
    Path noKeyId = dir.resolve("a.json");
    KeyFiles.writePrivate(noKeyId, TestKeys.ed25519());
    rewrite(noKeyId, json -> json.remove("keyid"));
    assertThatThrownBy(() -> KeyFiles.readPrivate(noKeyId))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("keyid");

    Path publicOnly = dir.resolve("b.json");
    KeyFiles.writePublic(publicOnly, TestKeys.ed25519().verificationKey());
    assertThatThrownBy(() -> KeyFiles.readPrivate(publicOnly))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not a private key file");
  }

  @Test
  void missingFileBadJsonAndWrongSchemeHaveClearErrors() throws IOException {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> KeyFiles.readPublic(missing))
        .isInstanceOf(KeyFileNotFoundException.class)
        .hasMessageContaining("no key file at " + missing);

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"keytype\": ");
    assertThatThrownBy(() -> KeyFiles.readPrivate(bad))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(bad + " is not a JSON key file");

    Path rsa = dir.resolve("rsa.json");
    KeyFiles.writePrivate(rsa, TestKeys.ed25519());
    rewrite(rsa, json -> json.put("keytype", "rsa").put("scheme", "rsassa-pss-sha256"));
    assertThatThrownBy(() -> KeyFiles.readPrivate(rsa))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(rsa.toString())
        .hasMessageContaining("unsupported key");

    Path unknownField = dir.resolve("unknown.json");
    KeyFiles.writePrivate(unknownField, TestKeys.ed25519());
    rewrite(unknownField, json -> json.put("password", "hunter2"));
    assertThatThrownBy(() -> KeyFiles.readPrivate(unknownField))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("unexpected field \"password\"");
  }

  @Test
  void badBase64InThePrivatePartIsRefused() throws IOException {
    Path file = dir.resolve("key.json");
    KeyFiles.writePrivate(file, TestKeys.ecdsaP256());
    rewrite(file, json -> ((ObjectNode) json.get("keyval")).put("private", "not base64!"));

    assertThatThrownBy(() -> KeyFiles.readPrivate(file))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("base64");
  }

  private static void rewrite(Path file, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode json = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(file));
    edit.accept(json);
    Files.write(file, CanonicalJson.mapper().writeValueAsBytes(json));
  }
}
