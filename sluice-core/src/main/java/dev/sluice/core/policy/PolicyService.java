package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.Validation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.CertifierKeyHistory;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tlog.Hash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Products' certification policies, logged and endorsed (docs/records.md, docs/certification.md).
 * Every change of a product's rule appends a {@code policy} record to the transparency log in the
 * transaction that makes the change, chained to the product's previous policy by its log index and
 * digest. Nobody changes a rule alone: a certifier's key is added or revoked only with a signature
 * by one of that certifier's current keys over the key change, and a product's certifier set or
 * threshold changes only once the threshold of its current certifiers signed the new statement.
 * Admins (or the certifiers themselves) only submit.
 *
 * <p>A policy's log index is known only once the sequencer has run; a change that must name the
 * product's current policy waits for it (as a publication waits for its record) and then retries.
 */
public final class PolicyService {
  /** How long a change waits for the product's current policy record to be sequenced. */
  public static final Duration DEFAULT_INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

  private static final int ATTEMPTS = 4;

  private final UnitOfWork<? extends PolicyPorts> transactions;
  private final TransparencyLog log;
  private final Clock clock;
  private final Duration integrationTimeout;

  public PolicyService(
      UnitOfWork<? extends PolicyPorts> transactions,
      TransparencyLog log,
      Clock clock,
      Duration integrationTimeout) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.integrationTimeout = Objects.requireNonNull(integrationTimeout, "integrationTimeout");
  }

  /** Thrown inside a transaction that needs a policy record the log has not sequenced yet. */
  private static final class NotSequenced extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Hash leafHash;

    NotSequenced(Hash leafHash) {
      super("policy record " + leafHash.hex() + " is not sequenced yet", null, false, false);
      this.leafHash = leafHash;
    }
  }

  /**
   * Runs a write transaction that may need the log index of a product's current policy ({@link
   * #sequenced}); if that is not known yet, waits for the log to integrate the record and runs the
   * work again. Wakes the log's sequencer afterwards, since the work may have appended.
   *
   * @throws Conflict (NOT_READY) if the log did not integrate the record in time
   */
  public <T> T write(Function<? super PolicyPorts, T> work) {
    return write(transactions, work);
  }

  /**
   * Like {@link #write(Function)}, in a transaction of the caller's, whose work needs more than the
   * policy's ports.
   */
  public <R extends PolicyPorts, T> T write(
      UnitOfWork<R> transactions, Function<? super R, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        T result = transactions.write(work);
        log.wake();
        return result;
      } catch (NotSequenced e) {
        log.wake();
        if (attempt >= ATTEMPTS
            || log.awaitIntegrated(LogTicket.pending(e.leafHash), integrationTimeout).isEmpty()) {
          throw new Conflict(
              ConflictKind.NOT_READY,
              "the product's current policy record is not in the transparency log yet; retry");
        }
      }
    }
  }

  /**
   * The product's current policy with its log index, inside a transaction run by {@link #write}.
   */
  public static StoredPolicy sequenced(PolicyPorts repos, ProductName product) {
    StoredPolicy current =
        repos
            .policies()
            .current(product)
            .orElseThrow(
                () ->
                    new Conflict(
                        ConflictKind.NOT_READY,
                        "product '" + product + "' has no policy record yet; restart the server"));
    if (current.logIndex().isPresent()) {
      return current;
    }
    Optional<Long> index = repos.log().indexOf(current.leafHash());
    if (index.isEmpty()) {
      throw new NotSequenced(current.leafHash());
    }
    repos.policies().setLogIndex(current.leafHash(), index.get());
    return current.withLogIndex(index.get());
  }

  /**
   * The rule a product's releases are certified under now: its newest policy statement, whether or
   * not the log has sequenced it yet.
   */
  public static PolicyStatement currentStatement(PolicyPorts repos, Product product) {
    return repos
        .policies()
        .current(product.name())
        .map(StoredPolicy::statement)
        .orElseGet(() -> firstStatement(repos, product, PolicyChange.Kind.MIGRATED));
  }

  /**
   * Appends a new product's first policy ({@code product-created}) inside the caller's write
   * transaction, which must be run by {@link #write} (or be followed by a wake of the log).
   */
  public StoredPolicy appendFirst(PolicyPorts repos, Product product, PolicyChange.Kind kind) {
    PolicyStatement statement = firstStatement(repos, product, kind);
    return append(repos, new PolicyRecord(statement, List.of(), clock.instant()));
  }

  /**
   * Gives every product that has no policy record yet (it existed before policies were logged) a
   * {@code migrated} first policy. Idempotent.
   *
   * @return how many products were migrated
   */
  public int migrate() {
    List<ProductName> products =
        transactions.read(
            repos ->
                repos.products().list().stream()
                    .map(Product::name)
                    .filter(p -> repos.policies().current(p).isEmpty())
                    .toList());
    int migrated = 0;
    for (ProductName name : products) {
      boolean done =
          write(
              repos -> {
                if (repos.policies().current(name).isPresent()) {
                  return false;
                }
                Product product = repos.products().find(name).orElseThrow();
                StoredPolicy policy = appendFirst(repos, product, PolicyChange.Kind.MIGRATED);
                ObjectNode detail = JsonNodeFactory.instance.objectNode();
                detail.put("sequence", policy.sequence());
                detail.put("leaf_hash", policy.leafHash().hex());
                audit(
                    repos,
                    Principal.system(),
                    "product.policy-migrated",
                    "product/" + name,
                    detail);
                return true;
              });
      if (done) {
        migrated++;
      }
    }
    return migrated;
  }

  // ---- Key changes -------------------------------------------------------------------------

  /** The key change a certifier signs to add (or revoke) a key, given its current key set. */
  public KeyChange keyChange(CertifierId id, KeyChange.Action action, VerificationKey key) {
    Certifier certifier = certifier(id);
    return new KeyChange(id, action, key, certifier.keyVersion() + 1);
  }

  /**
   * Adds a key to a certifier, endorsed by a signature over the key change by one of the
   * certifier's current keys, and appends a {@code key-added} policy to every product it certifies.
   *
   * @throws SluiceException.Forbidden if the endorsement is not a valid signature by a current key
   *     of that certifier
   */
  public Certifier addKey(
      Principal actor, CertifierId id, VerificationKey key, String endorsingKeyId, byte[] sig) {
    return changeKey(
        actor, id, KeyChange.Action.ADD, key.keyId(), Optional.of(key), endorsingKeyId, sig);
  }

  /**
   * Revokes a certifier's key, endorsed by a signature over the key change by one of its current
   * keys (the revoked key itself may sign), and appends a {@code key-revoked} policy to every
   * product it certifies.
   */
  public Certifier revokeKey(
      Principal actor, CertifierId id, String keyId, String endorsingKeyId, byte[] sig) {
    return changeKey(
        actor, id, KeyChange.Action.REVOKE, keyId, Optional.empty(), endorsingKeyId, sig);
  }

  private Certifier changeKey(
      Principal actor,
      CertifierId id,
      KeyChange.Action action,
      String keyId,
      Optional<VerificationKey> added,
      String endorsingKeyId,
      byte[] signature) {
    requireSubmitter(actor, id);
    return write(
        repos -> {
          Certifier certifier =
              repos.certifiers().find(id).orElseThrow(() -> notFoundCertifier(id));
          VerificationKey key;
          if (action == KeyChange.Action.ADD) {
            key = added.orElseThrow();
            if (certifier.key(key.keyId()).isPresent()) {
              throw new Conflict(
                  ConflictKind.ALREADY_EXISTS,
                  "key " + key.keyId() + " is already a key of certifier '" + id + "'");
            }
          } else {
            key =
                certifier
                    .key(keyId)
                    .orElseThrow(
                        () ->
                            new SluiceException.NotFound(
                                "current key of certifier '" + id + "'", keyId));
          }
          KeyChange change = new KeyChange(id, action, key, certifier.keyVersion() + 1);
          VerificationKey endorsing =
              certifier
                  .key(endorsingKeyId)
                  .orElseThrow(
                      () ->
                          new SluiceException.Forbidden(
                              "key "
                                  + endorsingKeyId
                                  + " is not a current key of certifier '"
                                  + id
                                  + "': a key change must be signed by one of the certifier's"
                                  + " current keys"));
          verify(
              endorsing,
              change.canonicalBytes(),
              signature,
              "the endorsement does not verify with key "
                  + endorsingKeyId
                  + " over the key change (version "
                  + change.version()
                  + ")");
          Instant now = clock.instant();
          int version =
              action == KeyChange.Action.ADD
                  ? repos.certifiers().addKey(id, key, now)
                  : repos.certifiers().revokeKey(id, key.keyId(), now);
          if (version != change.version()) {
            throw new Conflict(
                ConflictKind.STALE_STATEMENT,
                "certifier '" + id + "' changed its keys concurrently; sign the new key change");
          }
          Certifier after = repos.certifiers().find(id).orElseThrow();
          PolicyCertifier entry = new PolicyCertifier(id, version, after.keys());
          Endorsement endorsement =
              new Endorsement(
                  id,
                  endorsingKeyId,
                  Endorsement.Signs.KEY_CHANGE,
                  Base64.getEncoder().encodeToString(signature));
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("key_id", key.keyId());
          detail.put("version", version);
          detail.put("endorsed_by", endorsingKeyId);
          for (ProductName product : repos.products().certifiedBy(id)) {
            StoredPolicy previous = sequenced(repos, product);
            PolicyStatement was = previous.statement();
            List<PolicyCertifier> certifiers = new ArrayList<>();
            for (PolicyCertifier c : was.certifiers()) {
              certifiers.add(c.id().equals(id) ? entry : c);
            }
            PolicyStatement next =
                was.next(
                    previous.ref().orElseThrow(),
                    was.threshold(),
                    certifiers,
                    PolicyChange.key(action.policyChange(), id, key.keyId()));
            StoredPolicy appended =
                append(repos, new PolicyRecord(next, List.of(endorsement), now));
            detail
                .withArray("policies")
                .addObject()
                .put("product", product.value())
                .put("sequence", appended.sequence())
                .put("leaf_hash", appended.leafHash().hex());
          }
          String event =
              action == KeyChange.Action.ADD ? "certifier.key-added" : "certifier.key-revoked";
          audit(repos, actor, event, "certifier/" + id, detail);
          return after;
        });
  }

  private static void requireSubmitter(Principal actor, CertifierId id) {
    actor.require(Role.ADMIN, Role.CERTIFIER);
    if (actor.role() == Role.CERTIFIER && !actor.certifier().orElseThrow().equals(id)) {
      throw new SluiceException.Forbidden(
          "a certifier token may submit key changes of its own certifier only");
    }
  }

  // ---- Certifier set and threshold ----------------------------------------------------------

  /**
   * Proposes a new certifier set and/or threshold for a product. It takes effect once the threshold
   * of the product's current certifiers have signed the proposed statement ({@link #sign}). A new
   * proposal replaces the product's earlier one and its signatures.
   */
  public PendingPolicy propose(
      Principal actor,
      ProductName product,
      Optional<Integer> threshold,
      Optional<List<CertifierId>> certifiers) {
    actor.require(Role.ADMIN);
    if (threshold.isEmpty() && certifiers.isEmpty()) {
      throw new SluiceException.InvalidInput(
          "a policy proposal changes the threshold, the certifiers or both");
    }
    return write(
        repos -> {
          StoredPolicy current = sequenced(repos, requireProduct(repos, product).name());
          PolicyStatement was = current.statement();
          List<CertifierId> ids = certifiers.orElse(was.certifierIds());
          int newThreshold = threshold.orElse(was.threshold());
          PolicyStatement proposed = proposal(repos, current, ids, newThreshold);
          if (proposed.threshold() == was.threshold()
              && proposed.certifierIds().equals(was.certifierIds())) {
            throw new SluiceException.InvalidInput(
                "the proposal is the product's current policy; nothing would change");
          }
          Instant now = clock.instant();
          PendingPolicy pending = new PendingPolicy(proposed, actor.name(), now, List.of());
          repos.policies().propose(pending);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("threshold", proposed.threshold());
          proposed.certifierIds().forEach(c -> detail.withArray("certifiers").add(c.value()));
          detail.put("statement_sha256", proposed.sha256().hex());
          audit(repos, actor, "product.policy-proposed", "product/" + product, detail);
          return pending;
        });
  }

  private static PolicyStatement proposal(
      PolicyPorts repos, StoredPolicy current, List<CertifierId> ids, int threshold) {
    if (ids.stream().distinct().count() != ids.size()) {
      throw new SluiceException.InvalidInput("a policy lists each certifier once");
    }
    List<PolicyCertifier> entries = new ArrayList<>();
    for (CertifierId id : ids) {
      Certifier c =
          repos
              .certifiers()
              .find(id)
              .orElseThrow(
                  () ->
                      new SluiceException.InvalidInput(
                          "certifier '" + id + "' is not registered; register it first"));
      if (c.keys().isEmpty()) {
        throw new SluiceException.InvalidInput(
            "certifier '" + id + "' has no current key and cannot certify");
      }
      entries.add(new PolicyCertifier(id, c.keyVersion(), c.keys()));
    }
    return Validation.valid(
        () ->
            current
                .statement()
                .next(
                    current.ref().orElseThrow(),
                    threshold,
                    entries,
                    PolicyChange.of(PolicyChange.Kind.POLICY_CHANGED)));
  }

  /** The product's pending proposal. */
  public PendingPolicy pending(ProductName product) {
    return transactions.read(
        repos ->
            repos
                .policies()
                .pending(product)
                .orElseThrow(
                    () ->
                        new SluiceException.NotFound(
                            "pending policy of product", product.value())));
  }

  /** What a signature of a pending policy led to: still pending, or applied. */
  public sealed interface SignResult {
    /** Not enough endorsements yet. */
    record Pending(PendingPolicy pending, int threshold) implements SignResult {}

    /** The threshold was met; the new policy is in force. */
    record Applied(StoredPolicy policy) implements SignResult {}
  }

  /**
   * Records a certifier's signature over the product's pending policy statement; applies the
   * proposal once the current policy's threshold of its certifiers have signed. A certifier token
   * signs for its own certifier; an admin submits a certifier's signature naming the certifier.
   *
   * @throws SluiceException.Forbidden if the signer is not a certifier of the current policy, the
   *     key is not listed for it there, or the signature does not verify
   * @throws Conflict (STALE_STATEMENT) if the signature is over another statement, (STALE_POLICY)
   *     if the product's policy or a certifier's keys changed since the proposal
   */
  public SignResult sign(
      Principal actor,
      ProductName product,
      Optional<CertifierId> forCertifier,
      String keyId,
      byte[] signature,
      Sha256 statementSha256) {
    actor.require(Role.ADMIN, Role.CERTIFIER);
    CertifierId signer;
    if (actor.role() == Role.CERTIFIER) {
      signer = actor.certifier().orElseThrow();
      if (forCertifier.isPresent() && !forCertifier.get().equals(signer)) {
        throw new SluiceException.Forbidden(
            "a certifier token signs for its own certifier '" + signer + "' only");
      }
    } else {
      signer =
          forCertifier.orElseThrow(
              () ->
                  new SluiceException.InvalidInput(
                      "an admin submitting a signature names the certifier who made it"));
    }
    return write(
        repos -> {
          requireProduct(repos, product);
          PendingPolicy pending =
              repos
                  .policies()
                  .pending(product)
                  .orElseThrow(
                      () ->
                          new SluiceException.NotFound(
                              "pending policy of product", product.value()));
          StoredPolicy current = sequenced(repos, product);
          PolicyStatement proposed = pending.statement();
          PolicyStatement rebuilt;
          try {
            rebuilt = proposal(repos, current, proposed.certifierIds(), proposed.threshold());
          } catch (SluiceException.InvalidInput e) {
            // A listed certifier has since lost its last key (or the proposal no longer holds).
            rebuilt = null;
          }
          if (!proposed.equals(rebuilt)) {
            throw new Conflict(
                ConflictKind.STALE_POLICY,
                "the product's policy or a certifier's keys changed since this proposal; propose"
                    + " it again");
          }
          if (!proposed.sha256().equals(statementSha256)) {
            throw new Conflict(
                ConflictKind.STALE_STATEMENT,
                "the signature is over statement "
                    + statementSha256
                    + " but the pending policy statement is "
                    + proposed.sha256()
                    + "; fetch the statement again and re-sign");
          }
          PolicyStatement rule = current.statement();
          PolicyCertifier entry =
              rule.certifier(signer)
                  .orElseThrow(
                      () ->
                          new SluiceException.Forbidden(
                              "certifier '"
                                  + signer
                                  + "' is not a certifier of product '"
                                  + product
                                  + "' under its current policy; only those endorse a change"));
          VerificationKey key =
              entry
                  .key(keyId)
                  .orElseThrow(
                      () ->
                          new SluiceException.Forbidden(
                              "key "
                                  + keyId
                                  + " is not listed for certifier '"
                                  + signer
                                  + "' in the product's current policy"));
          verify(
              key,
              proposed.canonicalBytes(),
              signature,
              "the signature does not verify with key " + keyId + " over the policy statement");
          Instant now = clock.instant();
          Endorsement endorsement =
              new Endorsement(
                  signer,
                  keyId,
                  Endorsement.Signs.POLICY,
                  Base64.getEncoder().encodeToString(signature));
          repos.policies().addSignature(product, endorsement, now);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("certifier", signer.value());
          detail.put("key_id", keyId);
          detail.put("statement_sha256", proposed.sha256().hex());
          audit(repos, actor, "product.policy-signed", "product/" + product, detail);
          PendingPolicy now2 = repos.policies().pending(product).orElseThrow();
          List<Endorsement> valid = validSignatures(rule, proposed, now2.signatures());
          if (valid.size() < rule.threshold()) {
            return new SignResult.Pending(now2, rule.threshold());
          }
          StoredPolicy applied = append(repos, new PolicyRecord(proposed, valid, now));
          repos
              .products()
              .updateCertification(product, proposed.certifierIds(), proposed.threshold());
          repos.policies().discardPending(product);
          ObjectNode done = JsonNodeFactory.instance.objectNode();
          done.put("sequence", applied.sequence());
          done.put("threshold", proposed.threshold());
          proposed.certifierIds().forEach(c -> done.withArray("certifiers").add(c.value()));
          valid.forEach(e -> done.withArray("endorsed_by").add(e.certifier().value()));
          done.put("leaf_hash", applied.leafHash().hex());
          audit(repos, actor, "product.policy-changed", "product/" + product, done);
          return new SignResult.Applied(applied);
        });
  }

  /** Withdraws the product's pending proposal. */
  public void withdraw(Principal actor, ProductName product) {
    actor.require(Role.ADMIN);
    transactions.write(
        repos -> {
          if (repos.policies().pending(product).isEmpty()) {
            throw new SluiceException.NotFound("pending policy of product", product.value());
          }
          repos.policies().discardPending(product);
          audit(
              repos,
              actor,
              "product.policy-withdrawn",
              "product/" + product,
              JsonNodeFactory.instance.objectNode());
          return null;
        });
  }

  private static List<Endorsement> validSignatures(
      PolicyStatement rule, PolicyStatement proposed, List<Endorsement> signatures) {
    byte[] bytes = proposed.canonicalBytes();
    return signatures.stream()
        .filter(
            s ->
                rule.certifier(s.certifier())
                    .flatMap(c -> c.key(s.keyId()))
                    .map(k -> verifies(k, bytes, s.signature()))
                    .orElse(false))
        .collect(Collectors.toMap(Endorsement::certifier, e -> e, (a, b) -> a))
        .values()
        .stream()
        .toList();
  }

  // ---- Reads -------------------------------------------------------------------------------

  /** The product's current policy (sequenced or not). */
  public StoredPolicy current(ProductName product) {
    return transactions.read(
        repos -> {
          requireProduct(repos, product);
          return repos
              .policies()
              .current(product)
              .orElseThrow(
                  () -> new SluiceException.NotFound("policy of product", product.value()));
        });
  }

  /** The rule a product's releases are certified under now (see {@link #currentStatement}). */
  public PolicyStatement statementInForce(ProductName product) {
    return transactions.read(repos -> currentStatement(repos, requireProduct(repos, product)));
  }

  /**
   * The log index of a policy record once a signed checkpoint covers it (what a verifier can
   * prove), inside a read transaction.
   */
  public static Optional<Long> provableIndex(PolicyPorts repos, StoredPolicy policy) {
    long size = repos.log().latestCheckpoint().map(c -> c.size()).orElse(0L);
    return policy.logIndex().or(() -> repos.log().indexOf(policy.leafHash())).filter(i -> i < size);
  }

  /** A policy record with its log index once a signed checkpoint covers it. */
  public record LoggedPolicy(StoredPolicy policy, Optional<Long> provableIndex) {
    public LoggedPolicy {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(provableIndex, "provableIndex");
    }
  }

  /** The product's current policy with its provable log index. */
  public LoggedPolicy loggedCurrent(ProductName product) {
    return transactions.read(
        repos -> {
          requireProduct(repos, product);
          StoredPolicy p =
              repos
                  .policies()
                  .current(product)
                  .orElseThrow(
                      () -> new SluiceException.NotFound("policy of product", product.value()));
          return new LoggedPolicy(p, provableIndex(repos, p));
        });
  }

  /** Every policy of the product, oldest first, with provable log indexes. */
  public List<LoggedPolicy> loggedHistory(ProductName product) {
    return transactions.read(
        repos -> {
          requireProduct(repos, product);
          return repos.policies().history(product).stream()
              .map(p -> new LoggedPolicy(p, provableIndex(repos, p)))
              .toList();
        });
  }

  /** The policy records whose change added or revoked the key, with provable log indexes. */
  public List<LoggedPolicy> loggedKeyChanges(String keyId) {
    return transactions.read(
        repos ->
            repos.policies().keyChanges(keyId).stream()
                .map(p -> new LoggedPolicy(p, provableIndex(repos, p)))
                .toList());
  }

  /** Every policy of the product, oldest first. */
  public List<StoredPolicy> history(ProductName product) {
    return transactions.read(
        repos -> {
          requireProduct(repos, product);
          return repos.policies().history(product);
        });
  }

  /** Every key the certifier has had. */
  public List<CertifierKeyHistory> keyHistory(CertifierId id) {
    return transactions.read(
        repos -> {
          repos.certifiers().find(id).orElseThrow(() -> notFoundCertifier(id));
          return repos.certifiers().keyHistory(id);
        });
  }

  /** The policy records whose change added or revoked the key. */
  public List<StoredPolicy> keyChanges(String keyId) {
    return transactions.read(repos -> repos.policies().keyChanges(keyId));
  }

  // ---- Helpers -----------------------------------------------------------------------------

  private StoredPolicy append(PolicyPorts repos, PolicyRecord record) {
    StoredPolicy stored = StoredPolicy.appended(record, clock.instant());
    repos.policies().insert(stored);
    log.append(repos, record.canonicalBytes());
    return stored;
  }

  private static PolicyStatement firstStatement(
      PolicyPorts repos, Product product, PolicyChange.Kind kind) {
    List<PolicyCertifier> entries = new ArrayList<>();
    for (CertifierId id : product.certifiers()) {
      Certifier c =
          repos
              .certifiers()
              .find(id)
              .orElseThrow(
                  () ->
                      new SluiceException.InvalidInput(
                          "certifier '" + id + "' is not registered; register it first"));
      if (c.keys().isEmpty() && kind == PolicyChange.Kind.PRODUCT_CREATED) {
        throw new SluiceException.InvalidInput(
            "certifier '" + id + "' has no current key and cannot certify");
      }
      entries.add(new PolicyCertifier(id, c.keyVersion(), c.keys()));
    }
    return new PolicyStatement(
        product.name(), 1, Optional.empty(), product.threshold(), entries, PolicyChange.of(kind));
  }

  private Certifier certifier(CertifierId id) {
    return transactions
        .read(repos -> repos.certifiers().find(id))
        .orElseThrow(() -> notFoundCertifier(id));
  }

  private static Product requireProduct(PolicyPorts repos, ProductName name) {
    return repos
        .products()
        .find(name)
        .orElseThrow(() -> new SluiceException.NotFound("product", name.value()));
  }

  private static void verify(VerificationKey key, byte[] message, byte[] signature, String why) {
    if (!verifies(key, message, signature)) {
      throw new SluiceException.Forbidden(why);
    }
  }

  private static boolean verifies(VerificationKey key, byte[] message, byte[] signature) {
    try {
      key.verify(message, signature);
      return true;
    } catch (SignatureVerificationException e) {
      return false;
    }
  }

  private void audit(
      PolicyPorts repos, Principal actor, String action, String subject, ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(clock.instant(), actor.name(), action, subject, detail));
  }

  private static SluiceException.NotFound notFoundCertifier(CertifierId id) {
    return new SluiceException.NotFound("certifier", id.value());
  }
}
