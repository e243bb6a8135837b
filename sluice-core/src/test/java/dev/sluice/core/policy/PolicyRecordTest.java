package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyRecordTest {
  static final Instant NOW = Instant.parse("2026-12-07T08:00:00.456Z");
  final SigningKey labA = SigningKey.generate(KeyScheme.ED25519);
  final SigningKey labB = SigningKey.generate(KeyScheme.ECDSA_P256);
  final ProductName phone = new ProductName("acme-phone");

  PolicyCertifier entry(String id, SigningKey key, int version) {
    return new PolicyCertifier(new CertifierId(id), version, List.of(key.verificationKey()));
  }

  PolicyStatement first() {
    return new PolicyStatement(
        phone,
        1,
        Optional.empty(),
        2,
        List.of(entry("lab-b", labB, 1), entry("lab-a", labA, 1)),
        PolicyChange.of(PolicyChange.Kind.PRODUCT_CREATED));
  }

  @Test
  void theRecordIsCanonicalJsonInTheDocumentedShapeAndParsesBackExactly() {
    PolicyStatement next =
        first()
            .next(
                new PolicyRef(0, Sha256.of(new byte[] {1})),
                1,
                first().certifiers(),
                PolicyChange.of(PolicyChange.Kind.POLICY_CHANGED));
    Endorsement e =
        new Endorsement(
            new CertifierId("lab-a"),
            labA.keyId(),
            Endorsement.Signs.POLICY,
            Base64.getEncoder().encodeToString(labA.sign(next.canonicalBytes())));
    PolicyRecord record = new PolicyRecord(next, List.of(e), NOW);
    byte[] bytes = record.canonicalBytes();

    JsonNode json = CanonicalJson.parse(bytes);
    assertThat(json.get("format").asText()).isEqualTo("sluice.policy-record/v1");
    assertThat(json.get("type").asText()).isEqualTo("policy");
    assertThat(json.get("time").asText()).isEqualTo("2026-12-07T08:00:00Z");
    assertThat(json.get("statement_sha256").asText()).isEqualTo(next.sha256().hex());
    assertThat(json.at("/statement/type").asText()).isEqualTo("sluice.policy-statement/v1");
    assertThat(json.at("/statement/previous/log_index").asLong()).isZero();
    assertThat(json.at("/statement/certifiers/0/id").asText()).isEqualTo("lab-a");
    assertThat(json.at("/statement/certifiers/0/keys/0/key_id").asText()).isEqualTo(labA.keyId());
    assertThat(json.at("/statement/change/kind").asText()).isEqualTo("policy-changed");
    assertThat(json.at("/endorsements/0/signs").asText()).isEqualTo("policy");
    assertThat(PolicyRecord.parse(bytes)).isEqualTo(record);
    assertThat(CanonicalJson.parse(first().canonicalBytes()).get("previous").isNull()).isTrue();
  }

  @Test
  void parsingRefusesRecordsThatAreNotExactlyCanonicalOrWhoseDigestLies() {
    byte[] bytes = new PolicyRecord(first(), List.of(), NOW).canonicalBytes();
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PolicyRecord.parse((" " + text).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    ObjectNode lying = (ObjectNode) CanonicalJson.parse(bytes);
    lying.put("statement_sha256", Sha256.of(new byte[] {7}).hex());
    assertThatThrownBy(() -> PolicyRecord.parse(CanonicalJson.encode(lying)))
        .hasMessageContaining("statement_sha256");
    ObjectNode extra = (ObjectNode) CanonicalJson.parse(bytes);
    extra.put("admin_override", true);
    assertThatThrownBy(() -> PolicyRecord.parse(CanonicalJson.encode(extra)))
        .hasMessageContaining("admin_override");
  }

  @Test
  void aStatementMustBeAWellFormedLinkOfItsChain() {
    var certifiers = List.of(entry("lab-a", labA, 1));
    var ref = new PolicyRef(4, Sha256.of(new byte[] {1}));
    assertThatThrownBy(
            () ->
                new PolicyStatement(
                    phone,
                    1,
                    Optional.of(ref),
                    1,
                    certifiers,
                    PolicyChange.of(PolicyChange.Kind.PRODUCT_CREATED)))
        .hasMessageContaining("previous");
    assertThatThrownBy(
            () ->
                new PolicyStatement(
                    phone,
                    2,
                    Optional.of(ref),
                    1,
                    certifiers,
                    PolicyChange.of(PolicyChange.Kind.MIGRATED)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new PolicyStatement(
                    phone,
                    2,
                    Optional.of(ref),
                    2,
                    certifiers,
                    PolicyChange.of(PolicyChange.Kind.POLICY_CHANGED)))
        .hasMessageContaining("threshold");
    assertThatThrownBy(
            () ->
                new PolicyStatement(
                    phone,
                    2,
                    Optional.of(ref),
                    1,
                    certifiers,
                    PolicyChange.key(
                        PolicyChange.Kind.KEY_ADDED, new CertifierId("lab-z"), labB.keyId())))
        .hasMessageContaining("lab-z");
    assertThatThrownBy(
            () -> new PolicyChange(PolicyChange.Kind.KEY_ADDED, Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KeyChange(
                    new CertifierId("lab-a"), KeyChange.Action.ADD, labB.verificationKey(), 1))
        .hasMessageContaining("version");
  }

  @Test
  void aKeyChangeIsTheDocumentedCanonicalObject() {
    KeyChange change =
        new KeyChange(new CertifierId("lab-b"), KeyChange.Action.REVOKE, labB.verificationKey(), 3);
    JsonNode json = CanonicalJson.parse(change.canonicalBytes());
    assertThat(json.get("type").asText()).isEqualTo("sluice.certifier-key-change/v1");
    assertThat(json.get("certifier").asText()).isEqualTo("lab-b");
    assertThat(json.get("action").asText()).isEqualTo("revoke");
    assertThat(json.get("version").asInt()).isEqualTo(3);
    assertThat(json.get("key")).isEqualTo(labB.verificationKey().toTufJson());
    assertThat(json.size()).isEqualTo(5);
  }
}
