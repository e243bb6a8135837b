package dev.sluice.core.publication;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.CertificationTally;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.policy.PolicyRef;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.StoredPolicy;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.tlog.LogPosition;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.core.tuf.PendingMetadata;
import dev.sluice.core.tuf.ProductUpdate;
import dev.sluice.core.tuf.TargetChanges;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.core.tuf.TufRoles;
import dev.sluice.trust.tuf.model.TargetFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Publishes and revokes releases (DESIGN.md, "Publish"): one idempotent, resumable operation in
 * three steps. (1) In one transaction the release record is built, stored in {@code publications}
 * and queued in the transparency log; (2) it waits until a signed checkpoint covers the entry; (3)
 * in one transaction the TUF metadata gets (or loses) the release's targets, the release changes
 * state and the publication is marked done. A retry or a restart after step 1 reuses the stored
 * record bytes, so the log gets the same entry (same leaf hash, same index) and never a second one.
 * Step 1 re-verifies the sign-offs against the product's current policy record, which the release
 * record names, and refuses a release that no longer meets it.
 *
 * <p>A revocation withdraws the release from devices in step 1, in the transaction that records it:
 * the {@link Withdrawal} cancels the open actions that would install it, so no device is offered a
 * release from the moment its revocation is decided, even while the log and an offline-signed TUF
 * role catch up.
 *
 * @param <R> the transaction's repositories (what the withdrawal needs besides publication's own)
 */
public final class PublicationService<R extends PublicationPorts> {
  /** How long a publish call waits for the log to integrate its record. */
  public static final Duration DEFAULT_INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

  private final UnitOfWork<R> transactions;
  private final Withdrawal<? super R> withdrawal;
  private final TransparencyLog log;
  private final TufRepository tuf;
  private final Clock clock;
  private final Duration integrationTimeout;
  private final PolicyService policies;

  public PublicationService(
      UnitOfWork<R> transactions,
      TransparencyLog log,
      TufRepository tuf,
      Clock clock,
      Duration integrationTimeout,
      PolicyService policies,
      Withdrawal<? super R> withdrawal) {
    this.withdrawal = Objects.requireNonNull(withdrawal, "withdrawal");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.log = Objects.requireNonNull(log, "log");
    this.tuf = Objects.requireNonNull(tuf, "tuf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.integrationTimeout = Objects.requireNonNull(integrationTimeout, "integrationTimeout");
  }

  /**
   * What a publication or revocation put into the log, and, if its product's role is signed offline
   * and the signature has not arrived yet, what it waits for.
   */
  public record Outcome(
      ReleaseId releaseId,
      ReleaseRecord.Kind kind,
      long logIndex,
      String leafHashHex,
      Optional<AwaitedSignature> awaiting) {
    public Outcome {
      Objects.requireNonNull(releaseId, "releaseId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(leafHashHex, "leafHashHex");
      Objects.requireNonNull(awaiting, "awaiting");
    }
  }

  /** The offline signature a publication waits for: of {@code version.role.json}, by the key. */
  public record AwaitedSignature(String role, long version, String keyId, String signedSha256) {
    public AwaitedSignature {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(signedSha256, "signedSha256");
    }
  }

  /** Withdraws a release being revoked from the devices, in the revocation's transaction. */
  @FunctionalInterface
  public interface Withdrawal<R> {
    /**
     * Called in the transaction that records a revocation (and again, harmlessly, when a revocation
     * is asked for again); it must find nothing to do the second time.
     */
    void withdraw(R repos, Principal actor, ReleaseId release, String reason, Instant at);

    /** No devices to withdraw from (a repository without the device API, in tests). */
    static <R> Withdrawal<R> none() {
      return (repos, actor, release, reason, at) -> {};
    }
  }

  /**
   * Publishes a CERTIFIED release; publishing a PUBLISHED release again returns the same outcome.
   *
   * @throws Conflict (ILLEGAL_TRANSITION) unless the release is CERTIFIED or already published,
   *     (NOT_READY) before the TUF root is installed
   */
  public Outcome publish(Principal actor, ReleaseId id) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    return finish(actor, record(actor, id, Optional.empty()));
  }

  /**
   * Revokes a PUBLISHED release: appends a revocation record and removes its targets; revoking a
   * REVOKED release again returns the same outcome.
   */
  public Outcome revoke(Principal actor, ReleaseId id, String reason) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    return finish(actor, record(actor, id, Optional.of(reason)));
  }

  /**
   * Step 1: builds the record (or finds the one stored by an earlier attempt) and queues it in the
   * log, in one transaction. Public so that tests and tools can stop after it.
   *
   * @param revocationReason present for a revocation
   */
  public Publication record(Principal actor, ReleaseId id, Optional<String> revocationReason) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    ReleaseRecord.Kind kind =
        revocationReason.isPresent() ? ReleaseRecord.Kind.REVOCATION : ReleaseRecord.Kind.RELEASE;
    Publication publication =
        policies.write(
            transactions,
            repos -> {
              Release release =
                  repos
                      .releases()
                      .findForUpdate(id)
                      .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
              Optional<Publication> existing = repos.publications().find(id, kind);
              if (existing.isPresent()
                  && kind == ReleaseRecord.Kind.RELEASE
                  && release.state() == ReleaseState.REVOKED) {
                throw new Conflict(
                    ConflictKind.ILLEGAL_TRANSITION,
                    "release " + id + " was revoked; a revoked release is never published again");
              }
              if (existing.isPresent()) {
                // Re-queue (a no-op if queued or integrated): the same bytes, the same entry.
                log.append(repos, existing.get().record());
                revocationReason.ifPresent(
                    reason -> withdrawal.withdraw(repos, actor, id, reason, clock.instant()));
                return existing.get();
              }
              ReleaseState required =
                  kind == ReleaseRecord.Kind.RELEASE
                      ? ReleaseState.CERTIFIED
                      : ReleaseState.PUBLISHED;
              if (release.state() != required) {
                throw new Conflict(
                    ConflictKind.ILLEGAL_TRANSITION,
                    "release "
                        + id
                        + " is "
                        + release.state()
                        + "; only a "
                        + required
                        + " release can be "
                        + (kind == ReleaseRecord.Kind.RELEASE ? "published" : "revoked"));
              }
              tuf.requireRoot(repos);
              TufRoles.roleName(release.product());
              Instant now = clock.instant();
              var statement = CertificationService.statementOf(release);
              StoredPolicy policy = PolicyService.sequenced(repos, release.product());
              PolicyRef policyRef = policy.ref().orElseThrow();
              List<SignOff> signOffs = repos.signOffs().list(id);
              CertificationTally tally =
                  CertificationTally.of(policy.statement(), statement, signOffs);
              if (kind == ReleaseRecord.Kind.RELEASE && !tally.thresholdReached()) {
                throw new Conflict(
                    ConflictKind.POLICY_NOT_MET,
                    "release "
                        + id
                        + " no longer meets product '"
                        + release.product()
                        + "''s certification policy (sequence "
                        + policy.sequence()
                        + ", log index "
                        + policyRef.logIndex()
                        + "): it needs "
                        + tally.threshold()
                        + " approval(s) by its certifiers with keys that policy lists, and has "
                        + tally.approvedBy().size()
                        + (tally.approvedBy().isEmpty()
                            ? ""
                            : " ("
                                + tally.approvedBy().stream()
                                    .map(CertifierId::value)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                                + ")")
                        + (tally.rejectedBy().isEmpty() ? "" : " and a rejection")
                        + "; the release must be certified again");
              }
              // The record carries the approvals that count under the policy it names.
              List<SignOff> approvals =
                  signOffs.stream()
                      .filter(s -> s.decision() == Decision.APPROVE)
                      .filter(s -> tally.approvedBy().contains(s.certifier()))
                      .toList();
              ReleaseRecord record =
                  revocationReason.isPresent()
                      ? ReleaseRecord.revocation(
                          id, statement, approvals, revocationReason.get(), policyRef, now)
                      : ReleaseRecord.release(id, statement, approvals, policyRef, now);
              Publication created = Publication.logged(id, record, now);
              repos.publications().insert(created);
              log.append(repos, created.record());
              revocationReason.ifPresent(
                  reason -> withdrawal.withdraw(repos, actor, id, reason, now));
              return created;
            });
    log.wake();
    return publication;
  }

  /**
   * Steps 2 and 3: waits for the record's integration under a signed checkpoint, then updates the
   * TUF metadata and the release's state, unless an earlier attempt already did.
   *
   * @throws Conflict (NOT_READY) if the log did not integrate the record in time (retry later)
   */
  public Outcome finish(Principal actor, Publication publication) {
    LogPosition position =
        log.awaitIntegrated(LogTicket.pending(publication.leafHash()), integrationTimeout)
            .orElseThrow(
                () ->
                    new Conflict(
                        ConflictKind.NOT_READY,
                        "the transparency log has not integrated the record yet; retry"));
    ReleaseId id = publication.releaseId();
    ReleaseRecord.Kind kind = publication.kind();
    prepareKeys(id);
    Optional<AwaitedSignature> awaiting =
        transactions.write(
            repos -> {
              Release release = repos.releases().findForUpdate(id).orElseThrow();
              Publication current = repos.publications().find(id, kind).orElseThrow();
              if (current.done()) {
                return Optional.<AwaitedSignature>empty();
              }
              if (current.state() == Publication.State.AWAITING_SIGNATURE) {
                return Optional.of(awaited(repos, release));
              }
              Instant now = clock.instant();
              ProductUpdate update =
                  kind == ReleaseRecord.Kind.RELEASE
                      ? addTargets(repos, release, position)
                      : removeTargets(repos, release);
              if (update instanceof ProductUpdate.Awaiting a) {
                repos.publications().markAwaitingSignature(id, kind);
                ObjectNode detail = JsonNodeFactory.instance.objectNode();
                detail.put("log_index", position.index());
                detail.put("role", a.pending().role());
                detail.put("version", a.pending().version());
                detail.put("key_id", a.keyId());
                String action =
                    kind == ReleaseRecord.Kind.RELEASE
                        ? "release.publish_awaiting_signature"
                        : "release.revoke_awaiting_signature";
                Completion.audit(repos, actor, now, action, id, detail);
                return Optional.of(awaited(a));
              }
              Completion.complete(repos, actor, release, current, position.index(), now);
              return Optional.<AwaitedSignature>empty();
            });
    return new Outcome(id, kind, position.index(), position.leafHash().hex(), awaiting);
  }

  /**
   * Opens the signing keys before the write transaction (see {@link TufRepository#prepareKeys}).
   */
  private void prepareKeys(ReleaseId id) {
    Optional<Release> release = transactions.read(repos -> repos.releases().find(id));
    if (release.isPresent()) {
      ProductName product = release.get().product();
      boolean offline =
          transactions.read(repos -> tuf.offline().offlineKey(repos, product).isPresent());
      tuf.prepareKeys(Optional.of(product), offline);
    }
  }

  private AwaitedSignature awaited(PublicationPorts repos, Release release) {
    PendingMetadata pending =
        tuf.offline()
            .pending(repos, release.product())
            .orElseThrow(() -> new IllegalStateException("awaiting a signature, none pending"));
    String keyId = tuf.offline().offlineKey(repos, release.product()).orElseThrow().keyId();
    return awaited(new ProductUpdate.Awaiting(pending, keyId));
  }

  private static AwaitedSignature awaited(ProductUpdate.Awaiting a) {
    return new AwaitedSignature(
        a.pending().role(), a.pending().version(), a.keyId(), a.pending().sha256().hex());
  }

  /**
   * Finishes every publication or revocation a crash or timeout left after step 1.
   *
   * @return how many were finished
   */
  public int resumeUnfinished() {
    return resumeUnfinished(Instant.MAX);
  }

  /**
   * Finishes the publications and revocations left after step 1 that were started before {@code
   * startedBefore}: run periodically by every instance, so that one instance finishes what another
   * started and then died; younger ones are most likely still being finished by their own caller.
   * Finishing is idempotent, so two instances finishing one publication at once is harmless.
   *
   * @return how many were finished
   */
  public int resumeUnfinished(Instant startedBefore) {
    List<Publication> unfinished =
        transactions.read(repos -> repos.publications().unfinished()).stream()
            .filter(p -> p.createdAt().isBefore(startedBefore))
            .toList();
    for (Publication p : unfinished) {
      finish(Principal.system(), p);
    }
    return unfinished.size();
  }

  private ProductUpdate addTargets(PublicationPorts repos, Release release, LogPosition position) {
    Map<String, TargetFile> files = new TreeMap<>();
    for (Artifact a : release.artifacts()) {
      ObjectNode custom = JsonNodeFactory.instance.objectNode();
      custom.put("release_id", release.id().value());
      custom.put("version", release.version().toString());
      custom.put("log_index", position.index());
      custom.put("leaf_hash", position.leafHash().hex());
      files.put(targetPath(release, a), new TargetFile(a.size(), a.sha256(), Optional.of(custom)));
    }
    return tuf.targets().update(repos, release.product(), TargetChanges.put(files));
  }

  private ProductUpdate removeTargets(PublicationPorts repos, Release release) {
    Set<String> paths = new TreeSet<>();
    for (Artifact a : release.artifacts()) {
      paths.add(targetPath(release, a));
    }
    return tuf.targets().update(repos, release.product(), TargetChanges.remove(paths));
  }

  private static String targetPath(Release release, Artifact artifact) {
    return TufRoles.targetPath(
        release.product(), release.version().toString(), artifact.name().value());
  }
}
