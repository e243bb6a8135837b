package dev.sluice.trust.tuf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.SignatureThresholdException;
import dev.sluice.trust.tuf.TufVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetadataTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
  private static final Sha256 SNAPSHOT_HASH =
      new Sha256("c14aeb4ac9f4a8fc0d83d12482b9197452f6adf3eb710e3b1e2b79e8d14cb681");

  private static Timestamp fixedTimestamp() {
    return new Timestamp(
        "1.0.31", 1, EXPIRES, new MetaFile(1, OptionalLong.of(1007), Optional.of(SNAPSHOT_HASH)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A timestamp file whose signed part is {@code signedJson}, with no signatures. */
  private static byte[] timestampFile(String signedJson) {
    return utf8("{\"signatures\":[],\"signed\":" + signedJson + "}");
  }

  private static String timestampJson(String type, String specVersion, String expires) {
    return "{\"_type\":\""
        + type
        + "\",\"spec_version\":\""
        + specVersion
        + "\",\"version\":1,\"expires\":\""
        + expires
        + "\",\"meta\":{\"snapshot.json\":{\"version\":1}}}";
  }

  @Test
  void metadataFilesAreStandardJsonEvenWhenKeysContainLineBreaks() throws Exception {
    // An ECDSA public key is a PEM block with line breaks; canonical JSON writes them raw, which a
    // standard JSON parser (tuf-js's, for one) refuses. The file must escape them.
    dev.sluice.trust.tuf.testing.TestRepository repo =
        new dev.sluice.trust.tuf.testing.TestRepository();
    repo.rotateRoot(TestKeys.generate(dev.sluice.trust.key.KeyScheme.ECDSA_P256, 3));
    byte[] file = repo.root.toBytes();
    com.fasterxml.jackson.databind.JsonNode strict =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(file);
    assertThat(strict.at("/signed/version").asLong()).isEqualTo(2);
    for (byte b : file) {
      assertThat(b >= 0 && b < 0x20).as("a raw control character in the file").isFalse();
    }
    Metadata<Root> parsed = Metadata.parse(file, Root.class);
    assertThat(parsed.signedBytes()).isEqualTo(repo.root.signedBytes());
  }

  @Test
  void fixedKeySigningFixedMetadataGivesAKnownSignature() {
    // Known answer computed independently (Python: json.dumps(sort_keys, compact) + pyca Ed25519).
    SigningKey key = TestKeys.fixedEd25519();
    Metadata<Timestamp> metadata = Metadata.sign(fixedTimestamp(), key);

    assertThat(new String(metadata.signedBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"_type\":\"timestamp\",\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{\"snapshot.json\":"
                + "{\"hashes\":{\"sha256\":\"c14aeb4ac9f4a8fc0d83d12482b9197452f6adf3eb710e3b1e2b79e8d14cb681\"},"
                + "\"length\":1007,\"version\":1}},\"spec_version\":\"1.0.31\",\"version\":1}");
    assertThat(metadata.signatures())
        .containsExactly(
            new Signature(
                "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916",
                "3095606ecfcc2a2bcbeeb09a3ad3ebd25839f14bcb9ef578264896764061ae53"
                    + "9e5cc9a1266d63ca2880114ea534843e94e14a88391acf664e2602c46eebfa05"));
  }

  @Test
  void fileRoundTripsThroughParse() {
    Metadata<Timestamp> metadata = Metadata.sign(fixedTimestamp(), TestKeys.ed25519());

    Metadata<Timestamp> parsed = Metadata.parse(metadata.toBytes(), Timestamp.class);

    assertThat(parsed).isEqualTo(metadata);
    assertThat(parsed.signed()).isEqualTo(fixedTimestamp());
    assertThat(parsed.toBytes()).isEqualTo(metadata.toBytes());
  }

  @Test
  void signaturesCoverFieldsTheModelDoesNotRead() throws Exception {
    SigningKey key = TestKeys.ed25519();
    ObjectNode signed = fixedTimestamp().toJson();
    signed.put("x-sluice-note", "kept");
    ObjectNode file = CanonicalJson.mapper().createObjectNode();
    file.putArray("signatures")
        .addObject()
        .put("keyid", key.keyId())
        .put("sig", java.util.HexFormat.of().formatHex(key.sign(CanonicalJson.encode(signed))));
    file.set("signed", signed);
    Root root = rootTrusting(key);

    Metadata<Timestamp> parsed = Metadata.parse(CanonicalJson.encode(file), Timestamp.class);

    assertThatCode(() -> TufVerifier.verifyThreshold(parsed, "timestamp", root))
        .doesNotThrowAnyException();
    // Dropping the unknown field changes what was signed.
    Metadata<Timestamp> stripped =
        Metadata.unsigned(parsed.signed()).withSignatures(parsed.signatures());
    assertThatThrownBy(() -> TufVerifier.verifyThreshold(stripped, "timestamp", root))
        .isInstanceOf(SignatureThresholdException.class);
  }

  static Root rootTrusting(SigningKey key) {
    RoleKeys role = new RoleKeys(List.of(key.keyId()), 1);
    return new Root(
        "1.0.31",
        1,
        EXPIRES,
        true,
        Map.of(key.keyId(), key.verificationKey()),
        Map.of(
            RoleType.ROOT, role,
            RoleType.TARGETS, role,
            RoleType.SNAPSHOT, role,
            RoleType.TIMESTAMP, role));
  }

  @Test
  void parseRefusesDuplicateKeys() {
    String json =
        "{\"_type\":\"timestamp\",\"spec_version\":\"1.0.31\",\"version\":1,\"version\":2,"
            + "\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{\"snapshot.json\":{\"version\":1}}}";

    assertThatThrownBy(() -> Metadata.parse(timestampFile(json), Timestamp.class))
        .isInstanceOf(MalformedMetadataException.class)
        .hasMessageContaining("Duplicate");
  }

  @Test
  void parseRefusesFloatsAnywhereInSigned() {
    String version =
        timestampJson("timestamp", "1.0.31", "2030-01-01T00:00:00Z")
            .replace("\"version\":1,", "\"version\":1.0,");
    String extra =
        timestampJson("timestamp", "1.0.31", "2030-01-01T00:00:00Z")
            .replace("{\"_type\"", "{\"x\":0.5,\"_type\"");

    assertThatThrownBy(() -> Metadata.parse(timestampFile(version), Timestamp.class))
        .isInstanceOf(MalformedMetadataException.class);
    assertThatThrownBy(() -> Metadata.parse(timestampFile(extra), Timestamp.class))
        .isInstanceOf(MalformedMetadataException.class)
        .hasMessageContaining("non-integral");
  }

  @Test
  void parseRefusesAWrongType() {
    byte[] file = timestampFile(timestampJson("snapshot", "1.0.31", "2030-01-01T00:00:00Z"));

    assertThatThrownBy(() -> Metadata.parse(file, Timestamp.class))
        .isInstanceOfSatisfying(
            MalformedMetadataException.class,
            e -> {
              assertThat(e.what()).isEqualTo("timestamp");
              assertThat(e.reason()).contains("_type");
            });
  }

  @Test
  void parseRefusesBadExpires() {
    for (String expires :
        List.of(
            "2030-01-01T00:00:00.5Z",
            "2030-01-01 00:00:00Z",
            "2030-01-01T00:00:00+00:00",
            "2030-02-30T00:00:00Z",
            "2030-01-01T24:00:00Z")) {
      byte[] file = timestampFile(timestampJson("timestamp", "1.0.31", expires));
      assertThatThrownBy(() -> Metadata.parse(file, Timestamp.class))
          .as(expires)
          .isInstanceOf(MalformedMetadataException.class)
          .hasMessageContaining("expires");
    }
  }

  @Test
  void parseAcceptsAny1xSpecVersionAndRefusesOtherMajors() {
    assertThat(
            Metadata.parse(
                    timestampFile(timestampJson("timestamp", "1.0", "2030-01-01T00:00:00Z")),
                    Timestamp.class)
                .signed()
                .specVersion())
        .isEqualTo("1.0");
    for (String spec : List.of("2.0.0", "0.9.0", "1.0.0-rc1", "one")) {
      byte[] file = timestampFile(timestampJson("timestamp", spec, "2030-01-01T00:00:00Z"));
      assertThatThrownBy(() -> Metadata.parse(file, Timestamp.class))
          .as(spec)
          .isInstanceOf(MalformedMetadataException.class)
          .hasMessageContaining("spec_version");
    }
  }

  @Test
  void rootRefusesAKeyListedUnderAnotherKeyId() {
    SigningKey key = TestKeys.ed25519();
    SigningKey other = TestKeys.ed25519();
    RoleKeys role = new RoleKeys(List.of(other.keyId()), 1);

    assertThatThrownBy(
            () ->
                new Root(
                    "1.0.31",
                    1,
                    EXPIRES,
                    true,
                    Map.of(other.keyId(), key.verificationKey()),
                    Map.of(
                        RoleType.ROOT, role,
                        RoleType.TARGETS, role,
                        RoleType.SNAPSHOT, role,
                        RoleType.TIMESTAMP, role)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the key id of its key");
  }

  @Test
  void rootRequiresAllFourRolesWithKnownKeys() {
    SigningKey key = TestKeys.ed25519();
    RoleKeys role = new RoleKeys(List.of(key.keyId()), 1);
    RoleKeys unknown = new RoleKeys(List.of(TestKeys.ed25519().keyId()), 1);
    Map<String, dev.sluice.trust.key.VerificationKey> keys =
        Map.of(key.keyId(), key.verificationKey());

    assertThatThrownBy(
            () -> new Root("1.0.31", 1, EXPIRES, true, keys, Map.of(RoleType.ROOT, role)))
        .hasMessageContaining("does not define");
    assertThatThrownBy(
            () ->
                new Root(
                    "1.0.31",
                    1,
                    EXPIRES,
                    true,
                    keys,
                    Map.of(
                        RoleType.ROOT, role,
                        RoleType.TARGETS, unknown,
                        RoleType.SNAPSHOT, role,
                        RoleType.TIMESTAMP, role)))
        .hasMessageContaining("unknown key id");
  }

  @Test
  void targetCustomMustBeAnIntegerOnlyObject() throws Exception {
    byte[] content = utf8("image");
    var mapper = CanonicalJson.mapper();

    assertThatThrownBy(() -> TargetFile.of(content, mapper.readTree("{\"size\":1.5}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TargetFile.of(content, mapper.readTree("[1]")))
        .isInstanceOf(IllegalArgumentException.class);
    TargetFile file = TargetFile.of(content, mapper.readTree("{\"sluice\":{\"log_index\":42}}"));
    file.custom().orElseThrow().withObject("sluice").put("log_index", 7);
    assertThat(file.custom().orElseThrow().at("/sluice/log_index").asLong()).isEqualTo(42);
  }

  @Test
  void targetPathsMustBeSafeRelativePaths() {
    TargetFile file = TargetFile.of(utf8("x"));
    for (String path :
        List.of("", "/abs", "a//b", "a/../b", "./a", "a\\b", "a/", "a\u0000b", "a\ud83d")) {
      assertThatThrownBy(
              () -> new Targets("1.0.31", 1, EXPIRES, Map.of(path, file), Optional.empty()))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void delegatedRoleNamesAreFileNameSafeAndNotTopLevel() {
    RoleKeys keys = new RoleKeys(List.of(TestKeys.ed25519().keyId()), 1);
    for (String name : List.of("targets", "root", "../x", "a/b", "", ".hidden")) {
      assertThatThrownBy(() -> new DelegatedRole(name, keys, TargetPaths.patterns("*"), false))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void signaturesAreLowercaseHex() {
    String keyId = TestKeys.ed25519().keyId();
    assertThatThrownBy(() -> new Signature(keyId, "ABCD"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Signature(keyId, "abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Signature(keyId, "abcd").bytes()).containsExactly(0xab, 0xcd);
  }
}
