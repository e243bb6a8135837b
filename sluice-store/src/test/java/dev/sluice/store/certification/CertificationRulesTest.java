package dev.sluice.store.certification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOffRequest;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.store.Fixtures;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The certification rules through {@link CertificationService} alone, on a real SQLite database: a
 * product certified by two of three labs, and a release that passed its check. No HTTP.
 */
class CertificationRulesTest {
  private static final Clock CLOCK = Clock.fixed(Fixtures.at(3600), ZoneOffset.UTC);

  private final Map<String, SigningKey> keys = new HashMap<>();
  private TestDatabase test;
  private CertificationService certification;
  private Release checked;
  private Release draft;

  @BeforeEach
  void twoOfThreeLabsAndACheckedRelease() {
    test = TestDatabases.freshSqlite();
    JdbiTransactions tx = new JdbiTransactions(test.database());
    certification = new CertificationService(tx, CLOCK);
    List<Certifier> labs = List.of(lab("lab-a"), lab("lab-b"), lab("lab-c"));
    Certifier outsider = lab("outsider");
    Product product = Fixtures.product("acme-phone", labs, 2);
    checked = Fixtures.withState(Fixtures.draft(product.name(), "1.0.0"), ReleaseState.CHECKED);
    draft = Fixtures.draft(product.name(), "1.0.1");
    tx.write(
        repos -> {
          labs.forEach(repos.certifiers()::insert);
          repos.certifiers().insert(outsider);
          repos.products().insert(product);
          repos.releases().insert(checked);
          repos.releases().insert(draft);
          return null;
        });
  }

  @AfterEach
  void closeDatabase() {
    test.close();
  }

  @Test
  void oneApprovalOfTheTwoNeededLeavesTheReleaseChecked() {
    assertThat(decide("lab-a", Decision.APPROVE).state()).isEqualTo(ReleaseState.CHECKED);
  }

  @Test
  void theSecondApprovalByAnotherLabCertifiesTheRelease() {
    decide("lab-a", Decision.APPROVE);
    assertThat(decide("lab-c", Decision.APPROVE).state()).isEqualTo(ReleaseState.CERTIFIED);
    assertThat(certification.signOffs(checked.id()))
        .extracting(s -> s.certifier().value())
        .containsExactlyInAnyOrder("lab-a", "lab-c");
  }

  @Test
  void aRejectionBlocksTheReleaseEvenAfterAnApproval() {
    decide("lab-a", Decision.APPROVE);
    assertThat(decide("lab-b", Decision.REJECT).state()).isEqualTo(ReleaseState.BLOCKED);
  }

  @Test
  void aLabDecidesOnlyOnceSoItsSecondApprovalDoesNotCount() {
    decide("lab-a", Decision.APPROVE);
    assertThatThrownBy(() -> decide("lab-a", Decision.APPROVE))
        .isInstanceOfSatisfying(
            SluiceException.Conflict.class,
            e -> assertThat(e.conflictKind()).isEqualTo(ConflictKind.ALREADY_DECIDED));
    assertThat(certification.signOffs(checked.id())).hasSize(1);
  }

  @Test
  void aCertifierOfAnotherProductIsForbidden() {
    assertThatThrownBy(() -> decide("outsider", Decision.APPROVE))
        .isInstanceOf(SluiceException.Forbidden.class)
        .hasMessageContaining("does not certify product 'acme-phone'");
  }

  @Test
  void aSignatureOverAnOutdatedStatementIsRefusedAsStale() {
    Sha256 outdated = Sha256.of("an earlier statement".getBytes(StandardCharsets.UTF_8));
    SignOffRequest unsigned =
        new SignOffRequest(
            Decision.APPROVE, keys.get("lab-a").keyId(), new byte[64], outdated, Optional.empty());
    byte[] signature = keys.get("lab-a").sign(unsigned.signedBytes(statement()));
    SignOffRequest request =
        new SignOffRequest(
            Decision.APPROVE, keys.get("lab-a").keyId(), signature, outdated, Optional.empty());
    assertThatThrownBy(() -> certification.decide(principal("lab-a"), checked.id(), request))
        .isInstanceOfSatisfying(
            SluiceException.Conflict.class,
            e -> assertThat(e.conflictKind()).isEqualTo(ConflictKind.STALE_STATEMENT));
    assertThat(certification.signOffs(checked.id())).isEmpty();
  }

  @Test
  void aSignatureByAKeyOtherThanTheNamedOneIsRefused() {
    ReleaseStatement statement = statement();
    byte[] forged = TestKeys.ed25519().sign(statement.canonicalBytes());
    SignOffRequest request =
        new SignOffRequest(
            Decision.APPROVE,
            keys.get("lab-a").keyId(),
            forged,
            statement.sha256(),
            Optional.empty());
    assertThatThrownBy(() -> certification.decide(principal("lab-a"), checked.id(), request))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("does not verify");
    assertThat(certification.signOffs(checked.id())).isEmpty();
  }

  @Test
  void aReleaseNotYetCheckedCannotBeSignedOff() {
    SignOffRequest request = request("lab-a", Decision.APPROVE, statement());
    assertThatThrownBy(() -> certification.decide(principal("lab-a"), draft.id(), request))
        .isInstanceOfSatisfying(
            SluiceException.Conflict.class,
            e -> assertThat(e.conflictKind()).isEqualTo(ConflictKind.ILLEGAL_TRANSITION));
  }

  @Test
  void onlyCertifiersDecide() {
    Principal operator = new Principal("ops", Role.OPERATOR, Optional.empty());
    SignOffRequest request = request("lab-a", Decision.APPROVE, statement());
    assertThatThrownBy(() -> certification.decide(operator, checked.id(), request))
        .isInstanceOf(SluiceException.Forbidden.class);
  }

  private Certifier lab(String id) {
    SigningKey key = TestKeys.ed25519();
    keys.put(id, key);
    return new Certifier(
        new CertifierId(id), "Lab " + id, List.of(key.verificationKey()), Fixtures.T0);
  }

  private ReleaseStatement statement() {
    return CertificationService.statementOf(checked);
  }

  private Release decide(String lab, Decision decision) {
    return certification.decide(principal(lab), checked.id(), request(lab, decision, statement()));
  }

  private SignOffRequest request(String lab, Decision decision, ReleaseStatement statement) {
    Optional<String> reason =
        decision == Decision.REJECT ? Optional.of("fails our radio test") : Optional.empty();
    SigningKey key = keys.get(lab);
    SignOffRequest unsigned =
        new SignOffRequest(decision, key.keyId(), new byte[64], statement.sha256(), reason);
    byte[] signature = key.sign(unsigned.signedBytes(statement));
    return new SignOffRequest(decision, key.keyId(), signature, statement.sha256(), reason);
  }

  private static Principal principal(String lab) {
    return new Principal(lab, Role.CERTIFIER, Optional.of(new CertifierId(lab)));
  }
}
