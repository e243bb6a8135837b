package dev.sluice.core.publication;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last part of a publication or revocation, once its product's TUF metadata reflects it: the
 * release changes state, the publication is marked done and the audit trail says so. Runs inside
 * the caller's write transaction.
 */
final class Completion {
  private Completion() {}

  /** Completes one publication whose record is at {@code logIndex} in the log. */
  static void complete(
      PublicationPorts repos,
      Principal actor,
      Release release,
      Publication p,
      long logIndex,
      Instant now) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("log_index", logIndex);
    detail.put("leaf_hash", p.leafHash().hex());
    if (p.kind() == ReleaseRecord.Kind.RELEASE) {
      move(repos, release, ReleaseState.CERTIFIED, ReleaseState.PUBLISHED, now);
      audit(repos, actor, now, "release.published", release.id(), detail);
    } else {
      move(repos, release, ReleaseState.PUBLISHED, ReleaseState.REVOKED, now);
      audit(repos, actor, now, "release.revoked", release.id(), detail);
    }
    repos.publications().markDone(release.id(), p.kind(), now);
  }

  /**
   * Completes every publication of the product that was waiting for its role's offline signature,
   * now that the signed metadata is written.
   *
   * @return the releases completed, oldest publication first
   */
  static List<ReleaseId> completeAwaiting(
      PublicationPorts repos, Principal actor, ProductName product, Instant now) {
    List<ReleaseId> done = new ArrayList<>();
    for (Publication p : repos.publications().awaitingSignature()) {
      Release release = repos.releases().findForUpdate(p.releaseId()).orElseThrow();
      if (!release.product().equals(product)) {
        continue;
      }
      long index =
          repos
              .log()
              .indexOf(p.leafHash())
              .orElseThrow(() -> new IllegalStateException("an awaiting record is not in the log"));
      complete(repos, actor, release, p, index, now);
      done.add(release.id());
    }
    return done;
  }

  static void audit(
      PublicationPorts repos,
      Principal actor,
      Instant at,
      String action,
      ReleaseId id,
      ObjectNode detail) {
    audit(repos, actor, at, action, "release/" + id, detail);
  }

  static void audit(
      PublicationPorts repos,
      Principal actor,
      Instant at,
      String action,
      String subject,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, subject, detail));
  }

  private static void move(
      PublicationPorts repos, Release release, ReleaseState from, ReleaseState to, Instant now) {
    if (release.state() == from) {
      repos.releases().transition(release.id(), from, to, now);
    }
  }
}
