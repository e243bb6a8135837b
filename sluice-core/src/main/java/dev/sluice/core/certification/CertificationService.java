package dev.sluice.core.certification;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.policy.PolicyCertifier;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.CheckRecord;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.VerificationKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Certifiers' sign-offs. A sign-off counts only if it is a valid signature, by a key the product's
 * current certification policy lists for the certifier the caller's token speaks for, over the
 * release's current statement; each certifier counts once; one rejection blocks. Decisions on one
 * release are serialized by a row lock, so racing sign-offs can neither over- nor under-count the
 * threshold.
 */
public final class CertificationService {
  private final UnitOfWork<? extends CertificationPorts> transactions;
  private final Clock clock;

  public CertificationService(UnitOfWork<? extends CertificationPorts> transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The statement certifiers sign, once the release has passed its standards check. */
  public ReleaseStatement statement(ReleaseId id) {
    return transactions.read(
        repos -> {
          Release release = find(repos, id);
          return statementOf(release);
        });
  }

  /** The release's recorded sign-offs and rejections. */
  public List<SignOff> signOffs(ReleaseId id) {
    return transactions.read(
        repos -> {
          find(repos, id);
          return repos.signOffs().list(id);
        });
  }

  /** Records a certifier's signed decision; the release becomes CERTIFIED or BLOCKED if due. */
  public Release decide(Principal actor, ReleaseId id, SignOffRequest request) {
    actor.require(Role.CERTIFIER);
    CertifierId certifierId = actor.certifier().orElseThrow();
    return transactions.write(
        repos -> {
          Release release =
              repos
                  .releases()
                  .findForUpdate(id)
                  .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
          if (release.state() != ReleaseState.CHECKED) {
            throw new Conflict(
                ConflictKind.ILLEGAL_TRANSITION,
                "release "
                    + id
                    + " is "
                    + release.state()
                    + "; only a CHECKED release can be signed off or rejected");
          }
          Product product =
              repos
                  .products()
                  .find(release.product())
                  .orElseThrow(
                      () -> new SluiceException.NotFound("product", release.product().value()));
          PolicyStatement policy = PolicyService.currentStatement(repos, product);
          if (!policy.isCertifier(certifierId)) {
            throw new SluiceException.Forbidden(
                "certifier '"
                    + certifierId
                    + "' does not certify product '"
                    + product.name()
                    + "'");
          }
          PolicyCertifier certifier = policy.certifier(certifierId).orElseThrow();
          ReleaseStatement statement = statementOf(release);
          if (!statement.sha256().equals(request.statementSha256())) {
            throw new Conflict(
                ConflictKind.STALE_STATEMENT,
                "the signature is over statement "
                    + request.statementSha256()
                    + " but the release's current statement is "
                    + statement.sha256()
                    + "; fetch the statement again and re-sign");
          }
          VerificationKey key =
              certifier
                  .key(request.keyId())
                  .orElseThrow(
                      () ->
                          new SluiceException.InvalidInput(
                              "key "
                                  + request.keyId()
                                  + " is not registered to certifier '"
                                  + certifierId
                                  + "' as a current key in product '"
                                  + product.name()
                                  + "''s certification policy"));
          try {
            key.verify(request.signedBytes(statement), request.signature());
          } catch (SignatureVerificationException e) {
            throw new SluiceException.InvalidInput(
                "the signature does not verify with key "
                    + request.keyId()
                    + " over the "
                    + request.decision().wireName()
                    + " statement",
                List.of(),
                e);
          }
          Instant now = clock.instant();
          SignOff signOff =
              new SignOff(
                  id,
                  certifierId,
                  key.keyId(),
                  request.decision(),
                  request.reason(),
                  statement.sha256(),
                  Base64.getEncoder().encodeToString(request.signature()),
                  now);
          repos.signOffs().insert(signOff);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("certifier", certifierId.value());
          detail.put("key_id", key.keyId());
          detail.put("statement_sha256", statement.sha256().hex());
          request.reason().ifPresent(r -> detail.put("reason", r));
          String action =
              request.decision() == Decision.APPROVE ? "release.signed-off" : "release.rejected";
          audit(repos, actor, now, action, id, detail);
          if (request.decision() == Decision.REJECT) {
            move(repos, release, ReleaseState.BLOCKED, now);
            ObjectNode why = JsonNodeFactory.instance.objectNode();
            why.put("rejected_by", certifierId.value());
            why.put("reason", request.reason().orElseThrow());
            audit(repos, actor, now, "release.blocked", id, why);
          } else {
            CertificationTally tally =
                CertificationTally.of(policy, statement, repos.signOffs().list(id));
            if (tally.thresholdReached()) {
              move(repos, release, ReleaseState.CERTIFIED, now);
              ObjectNode why = JsonNodeFactory.instance.objectNode();
              why.put("threshold", tally.threshold());
              tally.approvedBy().stream()
                  .map(CertifierId::value)
                  .sorted()
                  .forEach(c -> why.withArray("approved_by").add(c));
              audit(repos, actor, now, "release.certified", id, why);
            }
          }
          return repos.releases().find(id).orElseThrow();
        });
  }

  /** The statement of a release that has passed its check. */
  public static ReleaseStatement statementOf(Release release) {
    if (release.state() == ReleaseState.DRAFT || release.check().isEmpty()) {
      throw new Conflict(
          ConflictKind.ILLEGAL_TRANSITION,
          "release " + release.id() + " has not been checked yet; it has no statement to sign");
    }
    CheckRecord check = release.check().orElseThrow();
    return new ReleaseStatement(
        release.product(),
        release.version(),
        release.artifacts(),
        release.manifestSha256(),
        check.report().standardsSetId(),
        check.report().standardsVersion(),
        check.reportSha256());
  }

  private static Release find(CertificationPorts repos, ReleaseId id) {
    return repos
        .releases()
        .find(id)
        .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
  }

  private static void move(
      CertificationPorts repos, Release release, ReleaseState next, Instant at) {
    if (!release.state().canBecome(next)
        || !repos.releases().transition(release.id(), release.state(), next, at)) {
      throw new Conflict(
          ConflictKind.ILLEGAL_TRANSITION,
          "release " + release.id() + " changed state concurrently; try again");
    }
  }

  private static void audit(
      CertificationPorts repos,
      Principal actor,
      Instant at,
      String action,
      ReleaseId id,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, "release/" + id, detail));
  }
}
