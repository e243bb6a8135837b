package dev.sluice.store.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.policy.Endorsement;
import dev.sluice.core.policy.KeyChange;
import dev.sluice.core.policy.PolicyChange;
import dev.sluice.core.policy.PolicyRecord;
import dev.sluice.core.policy.PolicyRef;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.policy.StoredPolicy;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.NewProduct;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.core.tlog.Scheduler;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.store.Fixtures;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tlog.NoteSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certification policies through the services, on a real database with a running transparency log:
 * every rule change is a policy record in the log, chained per product, and nobody changes a rule
 * without the endorsements docs/records.md requires.
 */
abstract class PolicyServiceContract {
  static final Principal ADMIN = new Principal("root", Role.ADMIN, Optional.empty());
  static final ProductName PHONE = new ProductName("acme-phone");

  private TestDatabase test;
  private Transactions tx;
  private ScheduledExecutorService sequencing;
  private TransparencyLog log;
  protected PolicyService policies;
  protected ProductService products;
  protected final Map<String, SigningKey> keys = new TreeMap<>();

  protected abstract Dialect dialect();

  @BeforeEach
  void start() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
    // The log's sequencer paces checkpoints by this clock: it must advance.
    Clock clock = Clock.systemUTC();
    sequencing = Executors.newSingleThreadScheduledExecutor();
    log =
        new TransparencyLog(
            tx,
            NoteSigner.generate("example.com/policy-test"),
            clock,
            Scheduler.of(sequencing),
            Duration.ofMillis(10),
            e -> {});
    log.start();
    policies = new PolicyService(tx, log, clock, Duration.ofSeconds(20));
    products = new ProductService(tx, new StandardsEngine(), clock, policies);
  }

  @AfterEach
  void stop() {
    log.close();
    sequencing.shutdownNow();
    test.close();
  }

  protected void certifier(String id) {
    SigningKey key = TestKeys.ed25519();
    keys.put(id, key);
    products.registerCertifier(
        ADMIN, new CertifierId(id), "Lab " + id, List.of(key.verificationKey()));
  }

  protected Product product(int threshold, String... certifiers) {
    return products.create(
        ADMIN,
        new NewProduct(
            PHONE,
            "",
            List.of(certifiers).stream().map(CertifierId::new).toList(),
            threshold,
            1L << 20,
            List.of()));
  }

  private static Principal certifierToken(String id) {
    return new Principal("token-" + id, Role.CERTIFIER, Optional.of(new CertifierId(id)));
  }

  private byte[] signKeyChange(
      SigningKey signer, String certifier, KeyChange.Action action, SigningKey key) {
    return signer.sign(
        policies
            .keyChange(new CertifierId(certifier), action, key.verificationKey())
            .canonicalBytes());
  }

  /** The log entry at the policy's log index, once the log integrated it. */
  private byte[] entry(StoredPolicy policy) {
    long index =
        log.awaitIntegrated(
                dev.sluice.core.tlog.LogTicket.pending(policy.leafHash()), Duration.ofSeconds(20))
            .orElseThrow()
            .index();
    return tx.read(repos -> repos.log().entries(index, 1)).getFirst();
  }

  private List<String> auditActions() {
    return tx.read(repos -> repos.audit().list(new AuditQuery(Optional.empty(), 0, 1000))).stream()
        .map(AuditEvent::action)
        .toList();
  }

  @Test
  void creatingAProductLogsItsFirstPolicyWithTheCertifiersKeysAndThreshold() {
    certifier("lab-a");
    certifier("lab-b");
    product(2, "lab-b", "lab-a");

    StoredPolicy first = policies.current(PHONE);
    PolicyStatement s = first.statement();
    assertThat(s.sequence()).isEqualTo(1);
    assertThat(s.previous()).isEmpty();
    assertThat(s.change().kind()).isEqualTo(PolicyChange.Kind.PRODUCT_CREATED);
    assertThat(s.threshold()).isEqualTo(2);
    assertThat(s.certifierIds()).extracting(CertifierId::value).containsExactly("lab-a", "lab-b");
    assertThat(s.certifier(new CertifierId("lab-a")).orElseThrow().keys())
        .containsExactly(keys.get("lab-a").verificationKey());
    assertThat(first.record().endorsements()).isEmpty();
    // The log holds exactly the record's canonical bytes.
    byte[] entry = entry(first);
    assertThat(entry).isEqualTo(first.record().canonicalBytes());
    assertThat(PolicyRecord.parse(entry)).isEqualTo(first.record());
  }

  @Test
  void anAdminCannotAddItsOwnKeyToACertifierWithoutThatCertifiersSignature() {
    certifier("lab-a");
    certifier("lab-b");
    product(2, "lab-a", "lab-b");
    SigningKey admins = TestKeys.ed25519();
    CertifierId labB = new CertifierId("lab-b");
    long before = policies.history(PHONE).size();

    // Signed by the new key itself (the admin's own): not a key of lab-b.
    assertThatThrownBy(
            () ->
                policies.addKey(
                    ADMIN,
                    labB,
                    admins.verificationKey(),
                    admins.keyId(),
                    signKeyChange(admins, "lab-b", KeyChange.Action.ADD, admins)))
        .isInstanceOf(SluiceException.Forbidden.class)
        .hasMessageContaining("not a current key of certifier 'lab-b'");
    // Signed by another certifier's key, named as that key: still not lab-b's.
    SigningKey labA = keys.get("lab-a");
    assertThatThrownBy(
            () ->
                policies.addKey(
                    ADMIN,
                    labB,
                    admins.verificationKey(),
                    labA.keyId(),
                    signKeyChange(labA, "lab-b", KeyChange.Action.ADD, admins)))
        .isInstanceOf(SluiceException.Forbidden.class);
    // Naming lab-b's key with a signature made by another key: does not verify.
    assertThatThrownBy(
            () ->
                policies.addKey(
                    ADMIN,
                    labB,
                    admins.verificationKey(),
                    keys.get("lab-b").keyId(),
                    signKeyChange(admins, "lab-b", KeyChange.Action.ADD, admins)))
        .isInstanceOf(SluiceException.Forbidden.class)
        .hasMessageContaining("does not verify");

    assertThat(products.certifier(labB).keys())
        .containsExactly(keys.get("lab-b").verificationKey());
    assertThat(policies.history(PHONE)).hasSize((int) before);
    assertThat(auditActions()).doesNotContain("certifier.key-added");
  }

  @Test
  void aKeyEndorsedByTheCertifiersCurrentKeyIsAddedAndLoggedAsTheNextPolicy() {
    certifier("lab-a");
    certifier("lab-b");
    product(1, "lab-a", "lab-b");
    StoredPolicy first = policies.current(PHONE);
    SigningKey rotated = TestKeys.ed25519();
    SigningKey current = keys.get("lab-b");

    byte[] signature = signKeyChange(current, "lab-b", KeyChange.Action.ADD, rotated);
    policies.addKey(
        certifierToken("lab-b"),
        new CertifierId("lab-b"),
        rotated.verificationKey(),
        current.keyId(),
        signature);

    StoredPolicy second = policies.current(PHONE);
    PolicyStatement s = second.statement();
    long firstIndex = sequencedIndex(first);
    assertThat(s.sequence()).isEqualTo(2);
    assertThat(s.previous()).contains(new PolicyRef(firstIndex, first.record().sha256()));
    assertThat(s.change())
        .isEqualTo(
            PolicyChange.key(
                PolicyChange.Kind.KEY_ADDED, new CertifierId("lab-b"), rotated.keyId()));
    assertThat(s.certifier(new CertifierId("lab-b")).orElseThrow().version()).isEqualTo(2);
    assertThat(s.certifier(new CertifierId("lab-b")).orElseThrow().keys())
        .containsExactlyInAnyOrder(current.verificationKey(), rotated.verificationKey());
    Endorsement e = second.record().endorsements().getFirst();
    assertThat(e.signs()).isEqualTo(Endorsement.Signs.KEY_CHANGE);
    // The endorsement verifies over the key change rebuilt from the record.
    current
        .verificationKey()
        .verify(
            new KeyChange(
                    new CertifierId("lab-b"),
                    KeyChange.Action.ADD,
                    rotated.verificationKey(),
                    s.certifier(new CertifierId("lab-b")).orElseThrow().version())
                .canonicalBytes(),
            e.signature());
    assertThat(entry(second)).isEqualTo(second.record().canonicalBytes());
    assertThat(auditActions()).contains("certifier.key-added");
    // A certifier token of another certifier may not submit lab-b's key changes.
    SigningKey more = TestKeys.ed25519();
    assertThatThrownBy(
            () ->
                policies.addKey(
                    certifierToken("lab-a"),
                    new CertifierId("lab-b"),
                    more.verificationKey(),
                    current.keyId(),
                    signKeyChange(current, "lab-b", KeyChange.Action.ADD, more)))
        .isInstanceOf(SluiceException.Forbidden.class);
  }

  @Test
  void aCertifierRevokesItsOwnKeyWithThatKeyAndTheRevocationCannotBeReplayed() {
    certifier("lab-a");
    product(1, "lab-a");
    SigningKey labA = keys.get("lab-a");
    SigningKey second = TestKeys.ed25519();
    policies.addKey(
        ADMIN,
        new CertifierId("lab-a"),
        second.verificationKey(),
        labA.keyId(),
        signKeyChange(labA, "lab-a", KeyChange.Action.ADD, second));

    byte[] revocation = signKeyChange(labA, "lab-a", KeyChange.Action.REVOKE, labA);
    policies.revokeKey(
        certifierToken("lab-a"), new CertifierId("lab-a"), labA.keyId(), labA.keyId(), revocation);

    PolicyStatement s = policies.current(PHONE).statement();
    assertThat(s.sequence()).isEqualTo(3);
    assertThat(s.change().kind()).isEqualTo(PolicyChange.Kind.KEY_REVOKED);
    assertThat(s.certifier(new CertifierId("lab-a")).orElseThrow().keys())
        .containsExactly(second.verificationKey());
    assertThat(products.certifier(new CertifierId("lab-a")).keyVersion()).isEqualTo(3);
    // The revoked key can neither endorse, nor come back, nor be revoked again.
    SigningKey third = TestKeys.ed25519();
    assertThatThrownBy(
            () ->
                policies.addKey(
                    ADMIN,
                    new CertifierId("lab-a"),
                    third.verificationKey(),
                    labA.keyId(),
                    signKeyChange(labA, "lab-a", KeyChange.Action.ADD, third)))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThatThrownBy(
            () ->
                policies.revokeKey(
                    ADMIN, new CertifierId("lab-a"), labA.keyId(), labA.keyId(), revocation))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(
            () ->
                policies.addKey(
                    ADMIN,
                    new CertifierId("lab-a"),
                    labA.verificationKey(),
                    second.keyId(),
                    signKeyChange(second, "lab-a", KeyChange.Action.ADD, labA)))
        .isInstanceOf(Conflict.class);
    assertThat(policies.keyHistory(new CertifierId("lab-a")))
        .filteredOn(k -> k.key().keyId().equals(labA.keyId()))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.revokedVersion()).contains(3);
              assertThat(k.addedVersion()).isEqualTo(1);
            });
  }

  @Test
  void aTwoOfTwoProductCannotBeCertifiedByOnePersonThroughAPolicyChange() {
    certifier("lab-a");
    certifier("lab-b");
    product(2, "lab-a", "lab-b");
    // One person holds lab-a's key and is admin: it proposes a threshold of 1.
    var pending = policies.propose(ADMIN, PHONE, Optional.of(1), Optional.empty());
    PolicyStatement proposed = pending.statement();
    byte[] bytes = proposed.canonicalBytes();
    SigningKey labA = keys.get("lab-a");
    var afterA =
        policies.sign(
            certifierToken("lab-a"),
            PHONE,
            Optional.empty(),
            labA.keyId(),
            labA.sign(bytes),
            proposed.sha256());
    assertThat(afterA).isInstanceOf(PolicyService.SignResult.Pending.class);
    // It submits "lab-b's" signature made with lab-a's key, or with a key of its own.
    assertThatThrownBy(
            () ->
                policies.sign(
                    ADMIN,
                    PHONE,
                    Optional.of(new CertifierId("lab-b")),
                    labA.keyId(),
                    labA.sign(bytes),
                    proposed.sha256()))
        .isInstanceOf(SluiceException.Forbidden.class);
    SigningKey own = TestKeys.ed25519();
    assertThatThrownBy(
            () ->
                policies.sign(
                    ADMIN,
                    PHONE,
                    Optional.of(new CertifierId("lab-b")),
                    keys.get("lab-b").keyId(),
                    own.sign(bytes),
                    proposed.sha256()))
        .isInstanceOf(SluiceException.Forbidden.class);
    // A certifier token of lab-a cannot sign for lab-b either.
    assertThatThrownBy(
            () ->
                policies.sign(
                    certifierToken("lab-a"),
                    PHONE,
                    Optional.of(new CertifierId("lab-b")),
                    labA.keyId(),
                    labA.sign(bytes),
                    proposed.sha256()))
        .isInstanceOf(SluiceException.Forbidden.class);

    assertThat(products.product(PHONE).threshold()).isEqualTo(2);
    assertThat(policies.current(PHONE).statement().threshold()).isEqualTo(2);
    assertThat(policies.history(PHONE)).hasSize(1);
  }

  @Test
  void aPolicyChangeTakesEffectWhenTheCurrentThresholdOfCertifiersSigned() {
    certifier("lab-a");
    certifier("lab-b");
    certifier("lab-c");
    certifier("lab-d");
    product(2, "lab-a", "lab-b", "lab-c");
    StoredPolicy before = policies.current(PHONE);
    List<CertifierId> next =
        List.of(new CertifierId("lab-a"), new CertifierId("lab-b"), new CertifierId("lab-d"));
    var pending = policies.propose(ADMIN, PHONE, Optional.of(3), Optional.of(next));
    PolicyStatement proposed = pending.statement();
    byte[] bytes = proposed.canonicalBytes();

    // lab-d joins with the change but is not a certifier of the current policy.
    SigningKey labD = keys.get("lab-d");
    assertThatThrownBy(
            () ->
                policies.sign(
                    certifierToken("lab-d"),
                    PHONE,
                    Optional.empty(),
                    labD.keyId(),
                    labD.sign(bytes),
                    proposed.sha256()))
        .isInstanceOf(SluiceException.Forbidden.class)
        .hasMessageContaining("current policy");
    // A signature over another statement is stale.
    assertThatThrownBy(
            () ->
                policies.sign(
                    certifierToken("lab-a"),
                    PHONE,
                    Optional.empty(),
                    keys.get("lab-a").keyId(),
                    keys.get("lab-a").sign(bytes),
                    Sha256.of(new byte[] {1})))
        .isInstanceOf(Conflict.class);

    var first =
        policies.sign(
            certifierToken("lab-a"),
            PHONE,
            Optional.empty(),
            keys.get("lab-a").keyId(),
            keys.get("lab-a").sign(bytes),
            proposed.sha256());
    assertThat(first).isInstanceOf(PolicyService.SignResult.Pending.class);
    // An admin submits lab-c's signature, verified against lab-c's key.
    var second =
        policies.sign(
            ADMIN,
            PHONE,
            Optional.of(new CertifierId("lab-c")),
            keys.get("lab-c").keyId(),
            keys.get("lab-c").sign(bytes),
            proposed.sha256());
    assertThat(second).isInstanceOf(PolicyService.SignResult.Applied.class);

    StoredPolicy applied = policies.current(PHONE);
    assertThat(applied.statement()).isEqualTo(proposed);
    assertThat(applied.statement().previous())
        .contains(new PolicyRef(sequencedIndex(before), before.record().sha256()));
    assertThat(applied.record().endorsements())
        .extracting(e -> e.certifier().value())
        .containsExactly("lab-a", "lab-c");
    assertThat(applied.record().endorsements())
        .allMatch(e -> e.signs() == Endorsement.Signs.POLICY);
    Product product = products.product(PHONE);
    assertThat(product.threshold()).isEqualTo(3);
    assertThat(product.certifiers()).containsExactlyInAnyOrderElementsOf(next);
    assertThatThrownBy(() -> policies.pending(PHONE)).isInstanceOf(SluiceException.NotFound.class);
    assertThat(auditActions())
        .contains("product.policy-proposed", "product.policy-signed", "product.policy-changed");
    assertThat(entry(applied)).isEqualTo(applied.record().canonicalBytes());
  }

  @Test
  void aProposalIsStaleOnceACertifiersKeysChanged() {
    certifier("lab-a");
    certifier("lab-b");
    product(1, "lab-a", "lab-b");
    var pending = policies.propose(ADMIN, PHONE, Optional.of(2), Optional.empty());
    SigningKey labA = keys.get("lab-a");
    SigningKey rotated = TestKeys.ed25519();
    policies.addKey(
        ADMIN,
        new CertifierId("lab-a"),
        rotated.verificationKey(),
        labA.keyId(),
        signKeyChange(labA, "lab-a", KeyChange.Action.ADD, rotated));

    assertThatThrownBy(
            () ->
                policies.sign(
                    certifierToken("lab-a"),
                    PHONE,
                    Optional.empty(),
                    labA.keyId(),
                    labA.sign(pending.statement().canonicalBytes()),
                    pending.statement().sha256()))
        .isInstanceOf(Conflict.class)
        .satisfies(
            e -> assertThat(((Conflict) e).conflictKind()).isEqualTo(ConflictKind.STALE_POLICY));
  }

  @Test
  void everyPolicyOfAProductIsChainedToThePreviousOneByLogIndexAndDigest() {
    certifier("lab-a");
    certifier("lab-b");
    product(1, "lab-a", "lab-b");
    SigningKey labA = keys.get("lab-a");
    List<SigningKey> added = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SigningKey k = TestKeys.ed25519();
      added.add(k);
      policies.addKey(
          ADMIN,
          new CertifierId("lab-a"),
          k.verificationKey(),
          labA.keyId(),
          signKeyChange(labA, "lab-a", KeyChange.Action.ADD, k));
    }
    policies.revokeKey(
        ADMIN,
        new CertifierId("lab-a"),
        added.getFirst().keyId(),
        labA.keyId(),
        signKeyChange(labA, "lab-a", KeyChange.Action.REVOKE, added.getFirst()));

    List<StoredPolicy> history = policies.history(PHONE);
    assertThat(history).extracting(StoredPolicy::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    for (int i = 1; i < history.size(); i++) {
      StoredPolicy previous = history.get(i - 1);
      byte[] previousEntry = entry(previous);
      long previousIndex = sequencedIndex(previous);
      PolicyRef link = history.get(i).statement().previous().orElseThrow();
      assertThat(link.logIndex()).isEqualTo(previousIndex);
      assertThat(link.recordSha256()).isEqualTo(Sha256.of(previousEntry));
      assertThat(
              history
                  .get(i)
                  .statement()
                  .certifier(new CertifierId("lab-a"))
                  .orElseThrow()
                  .version())
          .isEqualTo(i + 1);
    }
  }

  @Test
  void productsThatExistedBeforePoliciesGetAMigratedFirstPolicyOnce() {
    var lab = Fixtures.certifier("lab");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(Fixtures.product("old-phone", List.of(lab), 1));
          return null;
        });

    assertThat(policies.migrate()).isEqualTo(1);
    assertThat(policies.migrate()).isZero();

    StoredPolicy migrated = policies.current(new ProductName("old-phone"));
    assertThat(migrated.statement().change().kind()).isEqualTo(PolicyChange.Kind.MIGRATED);
    assertThat(migrated.statement().sequence()).isEqualTo(1);
    assertThat(migrated.statement().certifier(lab.id()).orElseThrow().keys())
        .containsExactlyElementsOf(lab.keys());
    assertThat(policies.history(new ProductName("old-phone"))).hasSize(1);
    assertThat(entry(migrated)).isEqualTo(migrated.record().canonicalBytes());
  }

  /**
   * The log index the sequencer gave a policy record. (Not {@code TransparencyLog.indexOf}, which
   * answers only once a signed checkpoint covers the entry: that may come a moment later.)
   */
  private long sequencedIndex(StoredPolicy policy) {
    return tx.read(repos -> repos.log().indexOf(policy.leafHash())).orElseThrow();
  }
}
