package dev.sluice.core.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseRecordTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123Z");
  final ReleaseStatement statement =
      new ReleaseStatement(
          new ProductName("acme-phone"),
          Version.parse("14.0.1"),
          List.of(new Artifact(new ArtifactName("system.img"), Sha256.of(new byte[] {1}), 10)),
          Sha256.of(new byte[] {2}),
          "acme-phone",
          1,
          Sha256.of(new byte[] {3}));
  final ReleaseId id = ReleaseId.generate(Clock.systemUTC());
  final SigningKey labA = SigningKey.generate(KeyScheme.ED25519);
  final SigningKey labB = SigningKey.generate(KeyScheme.ECDSA_P256);

  SignOff approval(String certifier, SigningKey key, ReleaseStatement over) {
    return new SignOff(
        id,
        new CertifierId(certifier),
        key.keyId(),
        Decision.APPROVE,
        Optional.empty(),
        over.sha256(),
        Base64.getEncoder().encodeToString(key.sign(over.canonicalBytes())),
        NOW);
  }

  @Test
  void recordLetsAnyoneReverifyTheCertification() {
    ReleaseRecord record =
        ReleaseRecord.release(
            id,
            statement,
            List.of(approval("lab-b", labB, statement), approval("lab-a", labA, statement)),
            NOW);
    JsonNode json = CanonicalJson.parse(record.canonicalBytes());
    assertThat(json.get("type").asText()).isEqualTo("release");
    assertThat(json.get("statement_sha256").asText()).isEqualTo(statement.sha256().hex());
    assertThat(json.get("time").asText()).isEqualTo("2026-11-25T12:00:00Z");
    assertThat(json.at("/signoffs/0/certifier").asText()).isEqualTo("lab-a");
    // Rebuild the statement from the record alone and check both signatures over it.
    byte[] statementBytes = statement.canonicalBytes();
    labA.verificationKey()
        .verify(
            statementBytes, Base64.getDecoder().decode(json.at("/signoffs/0/signature").asText()));
    labB.verificationKey()
        .verify(
            statementBytes, Base64.getDecoder().decode(json.at("/signoffs/1/signature").asText()));
    assertThat(CanonicalJson.encode(json)).isEqualTo(record.canonicalBytes());
  }

  @Test
  void approvalsOverAnotherStatementAreRefused() {
    ReleaseStatement other =
        new ReleaseStatement(
            statement.product(),
            Version.parse("14.0.2"),
            statement.artifacts(),
            statement.manifestSha256(),
            statement.standardsSetId(),
            1,
            statement.reportSha256());
    assertThatThrownBy(
            () ->
                ReleaseRecord.release(id, statement, List.of(approval("lab-a", labA, other)), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statement");
  }

  @Test
  void revocationCarriesItsReasonAndOnlyItDoes() {
    ReleaseRecord revocation =
        ReleaseRecord.revocation(id, statement, List.of(), "bricks devices on boot", NOW);
    assertThat(CanonicalJson.parse(revocation.canonicalBytes()).get("reason").asText())
        .isEqualTo("bricks devices on boot");
    assertThatThrownBy(
            () ->
                new ReleaseRecord(
                    ReleaseRecord.Kind.RELEASE, id, statement, List.of(), Optional.of("x"), NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void multiLineRevocationReasonsAreRefusedSoEntriesStayStandardJson() {
    assertThatThrownBy(() -> ReleaseRecord.revocation(id, statement, List.of(), "a\nb", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void recordsOverTheEntryLimitAreRefused() {
    List<Artifact> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(new Artifact(new ArtifactName("part-" + i + ".img"), Sha256.of(new byte[] {1}), i));
    }
    ReleaseStatement huge =
        new ReleaseStatement(
            statement.product(),
            statement.version(),
            many,
            statement.manifestSha256(),
            statement.standardsSetId(),
            1,
            statement.reportSha256());
    assertThatThrownBy(() -> ReleaseRecord.release(id, huge, List.of(), NOW))
        .hasMessageContaining("65535");
  }

  @Test
  void aRecordNamingItsPolicyIsFormatV2AndOneWithoutKeepsTheV1BytesForResumption() {
    var policy = new dev.sluice.core.policy.PolicyRef(3, Sha256.of(new byte[] {9}));
    List<SignOff> approvals = List.of(approval("lab-a", labA, statement));
    JsonNode v2 =
        CanonicalJson.parse(
            ReleaseRecord.release(id, statement, approvals, policy, NOW).canonicalBytes());
    assertThat(v2.get("format").asText()).isEqualTo("sluice.release-record/v2");
    assertThat(v2.at("/policy/log_index").asLong()).isEqualTo(3);
    assertThat(v2.at("/policy/record_sha256").asText()).isEqualTo(policy.recordSha256().hex());
    JsonNode revocation =
        CanonicalJson.parse(
            ReleaseRecord.revocation(id, statement, approvals, "bad", policy, NOW)
                .canonicalBytes());
    assertThat(revocation.get("format").asText()).isEqualTo("sluice.release-record/v2");
    assertThat(revocation.has("policy")).isTrue();

    JsonNode v1 =
        CanonicalJson.parse(ReleaseRecord.release(id, statement, approvals, NOW).canonicalBytes());
    assertThat(v1.get("format").asText()).isEqualTo("sluice.release-record/v1");
    assertThat(v1.has("policy")).isFalse();
  }
}
