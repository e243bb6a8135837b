package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerificationKeyTest {
  // An ECDSA P-256 key and signature made by OpenSSL 3 (`openssl ecparam -genkey`, `openssl dgst
  // -sha256 -sign`), and the key id from Python's hashlib over the hand-written canonical key
  // object (the PEM's newlines written raw, as canonical JSON requires).
  private static final String OPENSSL_P256_PEM =
      "-----BEGIN PUBLIC KEY-----\n"
          + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9hJYqyeqq/4lzGx4UW+Va4h7lXp8\n"
          + "IzqeO1tiYgfWcUdAkvBzxgnIWVNHPBMjNj7xf0aX+WJlPX6CpIEw8mjlmA==\n"
          + "-----END PUBLIC KEY-----\n";
  private static final String OPENSSL_P256_SIGNATURE_OF_SLUICE_INTEROP =
      "3045022100a78e0a452db8a358e3654c8fe87086aa1249600487ca8ed05dee08334db7268602201da82e36edfd"
          + "623bcf8ee03aeb9c7d40d4ad97d115068534c36b571682b50851";
  private static final String OPENSSL_P256_KEY_ID =
      "9222e26e685d5421e3ee4d394e1de52191ef031dc1c4afbc18a78ad25643ed8f";

  @Test
  void keyIdOfFixedEd25519KeyIsSha256OfItsCanonicalTufObject() throws Exception {
    VerificationKey key =
        VerificationKey.fromPublicKeyBytes(
            KeyScheme.ED25519, HexFormat.of().parseHex(TestKeys.RFC8032_TEST1_PUBLIC));
    String canonicalKeyObject =
        "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\""
            + TestKeys.RFC8032_TEST1_PUBLIC
            + "\"},\"scheme\":\"ed25519\"}";
    String independent =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(canonicalKeyObject.getBytes(StandardCharsets.UTF_8)));

    assertThat(key.keyId())
        .isEqualTo(independent)
        // Also computed with `sha256sum` over the same string.
        .isEqualTo("74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
    assertThat(key.toString()).isEqualTo("ed25519:" + independent);
    assertThat(key.publicValue()).isEqualTo(TestKeys.RFC8032_TEST1_PUBLIC);
  }

  @Test
  void verifiesAnOpenSslEcdsaSignatureAndComputesItsTufKeyId() {
    VerificationKey key = VerificationKey.fromTufJson(ecdsaJson(OPENSSL_P256_PEM));

    assertThat(key.keyId()).isEqualTo(OPENSSL_P256_KEY_ID);
    assertThatCode(
            () ->
                key.verify(
                    "sluice interop".getBytes(StandardCharsets.UTF_8),
                    HexFormat.of().parseHex(OPENSSL_P256_SIGNATURE_OF_SLUICE_INTEROP)))
        .doesNotThrowAnyException();
    assertThat(key.toTufJson().get("keyval").get("public").textValue()).isEqualTo(OPENSSL_P256_PEM);
  }

  @Test
  void generatedEcdsaKeysUseTheOpenSslPemLayout() {
    String pem = TestKeys.ecdsaP256().verificationKey().publicValue();
    assertThat(pem)
        .startsWith("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
        .endsWith("\n-----END PUBLIC KEY-----\n");
    assertThat(pem.lines().toList()).hasSize(4).allMatch(line -> line.length() <= 64);
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void tufJsonRoundTripKeepsTheKey(KeyScheme scheme) {
    VerificationKey key = TestKeys.generate(scheme).verificationKey();
    ObjectNode json = key.toTufJson();

    VerificationKey back = VerificationKey.fromTufJson(json);

    assertThat(back).isEqualTo(key).hasSameHashCodeAs(key);
    assertThat(back.keyId()).isEqualTo(key.keyId()).matches("[0-9a-f]{64}");
    assertThat(back.scheme()).isEqualTo(scheme);
    assertThat(json.get("keytype").textValue()).isEqualTo(scheme.keytype());
    assertThat(json.get("scheme").textValue()).isEqualTo(scheme.scheme());
    assertThat(json.has("keyid")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void publicKeyBytesRoundTrip(KeyScheme scheme) {
    VerificationKey key = TestKeys.generate(scheme).verificationKey();
    assertThat(VerificationKey.fromPublicKeyBytes(scheme, key.publicKeyBytes())).isEqualTo(key);
    if (scheme == KeyScheme.ED25519) {
      assertThat(key.publicKeyBytes()).hasSize(32);
    }
  }

  @Test
  void ignoresUnknownTopLevelFieldsButNotUnknownKeyvalFields() {
    ObjectNode json = TestKeys.ed25519().verificationKey().toTufJson();
    String keyId = VerificationKey.fromTufJson(json).keyId();
    json.putArray("keyid_hash_algorithms").add("sha256").add("sha512");
    assertThat(VerificationKey.fromTufJson(json).keyId()).isEqualTo(keyId);

    ((ObjectNode) json.get("keyval")).put("extra", "x");
    assertThatThrownBy(() -> VerificationKey.fromTufJson(json))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("extra");
  }

  @Test
  void refusesAPrivateKeyWhereAPublicKeyIsExpected() {
    ObjectNode json = TestKeys.ed25519().verificationKey().toTufJson();
    ((ObjectNode) json.get("keyval")).put("private", "c2VjcmV0");
    assertThatThrownBy(() -> VerificationKey.fromTufJson(json))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("private key");
  }

  @Test
  void refusesMalformedKeyObjects() {
    assertRefused("[]", "JSON object");
    assertRefused("{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"00\"}}", "\"scheme\"");
    assertRefused(
        "{\"keytype\":\"rsa\",\"scheme\":\"rsassa-pss-sha256\",\"keyval\":{}}", "unsupported");
    assertRefused("{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":\"x\"}", "keyval");
    assertRefused(
        "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":1}}", "\"public\"");
    assertRefused(
        "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"abcd\"}}",
        "64 lowercase hex");
    assertRefused(
        "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\""
            + TestKeys.RFC8032_TEST1_PUBLIC.toUpperCase(java.util.Locale.ROOT)
            + "\"}}",
        "64 lowercase hex");
  }

  @Test
  void refusesEcdsaKeysThatAreNotP256PublicKeyPems() throws Exception {
    assertThatThrownBy(() -> VerificationKey.fromTufJson(ecdsaJson("not a pem")))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("PEM");
    String ed25519Pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getEncoder()
                .encodeToString(
                    HexFormat.of()
                        .parseHex("302a300506032b6570032100" + TestKeys.RFC8032_TEST1_PUBLIC))
            + "\n-----END PUBLIC KEY-----\n";
    assertThatThrownBy(() -> VerificationKey.fromTufJson(ecdsaJson(ed25519Pem)))
        .isInstanceOf(KeyFormatException.class);
    java.security.KeyPairGenerator p384 = java.security.KeyPairGenerator.getInstance("EC");
    p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    byte[] p384Spki = p384.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> VerificationKey.fromPublicKeyBytes(KeyScheme.ECDSA_P256, p384Spki))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("P-256");
  }

  private static void assertRefused(String json, String message) {
    JsonNode node = CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> VerificationKey.fromTufJson(node))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(message);
  }

  private static ObjectNode ecdsaJson(String pem) {
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    json.put("keytype", "ecdsa");
    json.put("scheme", "ecdsa-sha2-nistp256");
    json.putObject("keyval").put("public", pem);
    return json;
  }
}
