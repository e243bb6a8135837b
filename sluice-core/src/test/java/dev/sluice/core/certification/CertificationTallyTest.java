package dev.sluice.core.certification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.standards.DefaultStandards;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificationTallyTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  final ReleaseStatement statement =
      ReleaseStatementTest.statement(
          List.of(ReleaseStatementTest.artifact("a", ReleaseStatementTest.A, 1)), 1);
  final Product product =
      new Product(
          new ProductName("acme-phone"),
          "",
          List.of(new CertifierId("lab-a"), new CertifierId("lab-b"), new CertifierId("lab-c")),
          2,
          1024,
          DefaultStandards.get(),
          NOW);
  final ReleaseId release = ReleaseId.generate(Clock.systemUTC());

  SignOff signOff(String certifier, Decision decision, Sha256 over) {
    return new SignOff(
        release,
        new CertifierId(certifier),
        "key-" + certifier,
        decision,
        decision == Decision.REJECT ? Optional.of("no") : Optional.empty(),
        over,
        Base64.getEncoder().encodeToString(new byte[] {1}),
        NOW);
  }

  @Test
  void thresholdIsReachedByDistinctCertifiersOfTheProduct() {
    List<SignOff> signOffs = new ArrayList<>();
    signOffs.add(signOff("lab-a", Decision.APPROVE, statement.sha256()));
    assertThat(CertificationTally.of(product, statement, signOffs).thresholdReached()).isFalse();
    signOffs.add(signOff("lab-a", Decision.APPROVE, statement.sha256()));
    assertThat(CertificationTally.of(product, statement, signOffs).thresholdReached()).isFalse();
    signOffs.add(signOff("lab-b", Decision.APPROVE, statement.sha256()));
    CertificationTally tally = CertificationTally.of(product, statement, signOffs);
    assertThat(tally.thresholdReached()).isTrue();
    assertThat(tally.approvedBy())
        .containsExactlyInAnyOrder(new CertifierId("lab-a"), new CertifierId("lab-b"));
  }

  @Test
  void approvalsOfAnotherStatementOrByOutsidersDoNotCount() {
    List<SignOff> signOffs =
        List.of(
            signOff("lab-a", Decision.APPROVE, statement.sha256()),
            signOff("lab-b", Decision.APPROVE, Sha256.of(new byte[] {9})),
            signOff("lab-z", Decision.APPROVE, statement.sha256()));
    CertificationTally tally = CertificationTally.of(product, statement, signOffs);
    assertThat(tally.approvedBy()).containsExactly(new CertifierId("lab-a"));
    assertThat(tally.thresholdReached()).isFalse();
  }

  @Test
  void aRejectionPreventsCertification() {
    List<SignOff> signOffs =
        List.of(
            signOff("lab-a", Decision.APPROVE, statement.sha256()),
            signOff("lab-b", Decision.APPROVE, statement.sha256()),
            signOff("lab-c", Decision.REJECT, statement.sha256()));
    assertThat(CertificationTally.of(product, statement, signOffs).thresholdReached()).isFalse();
  }
}
