package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.audit.AuditEventView;
import dev.sluice.api.auth.TokenView;
import dev.sluice.api.catalog.CertifierView;
import dev.sluice.api.catalog.PolicyView;
import dev.sluice.api.catalog.ProductView;
import dev.sluice.api.device.DeviceView;
import dev.sluice.api.release.ArtifactView;
import dev.sluice.api.release.CertificationView;
import dev.sluice.api.release.CheckView;
import dev.sluice.api.release.ReleaseSummary;
import dev.sluice.api.release.ReleaseView;
import dev.sluice.api.release.SignOffView;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.CertificationTally;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.policy.StoredPolicy;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.StandardsJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps domain values to the wire records of {@code sluice-api} (see /api/v1/openapi.json). Times
 * are RFC 3339 in UTC with millisecond precision.
 */
final class Views {
  private Views() {}

  static CertifierView certifier(Certifier c) {
    List<ObjectNode> keys =
        c.keys().stream()
            .map(
                k -> {
                  ObjectNode key = WireJson.MAPPER.createObjectNode().put("keyid", k.keyId());
                  key.setAll(k.toTufJson());
                  return key;
                })
            .toList();
    return new CertifierView(
        c.id().value(), c.displayName(), keys, time(c.createdAt()), c.keyVersion());
  }

  /** A policy record as served; its log index is null until sequenced. */
  static PolicyView policy(StoredPolicy p, Optional<Long> logIndex) {
    return new PolicyView(
        p.statement().product().value(),
        p.sequence(),
        logIndex.orElse(null),
        p.leafHash().hex(),
        p.record().sha256().hex(),
        p.record().toJson());
  }

  static ProductView product(Product p) {
    return new ProductView(
        p.name().value(),
        p.description(),
        p.certifiers().stream().map(CertifierId::value).toList(),
        p.threshold(),
        p.maxArtifactSize(),
        StandardsJson.toJson(p.standards()),
        time(p.createdAt()),
        p.securityUpdatesDeferrable());
  }

  static ReleaseSummary releaseSummary(Release r) {
    return new ReleaseSummary(
        r.id().value(),
        r.product().value(),
        r.version().toString(),
        r.state().wireName(),
        r.manifestSha256().hex(),
        r.manifest().artifactNames(),
        r.artifacts().stream().map(Views::artifact).toList(),
        r.createdBy(),
        time(r.createdAt()),
        time(r.updatedAt()));
  }

  static ReleaseView release(Release r, PolicyStatement policy, List<SignOff> signOffs) {
    CheckView check =
        r.check()
            .map(
                c ->
                    new CheckView(c.report().toJson(), c.reportSha256().hex(), time(c.checkedAt())))
            .orElse(null);
    List<String> approved = List.of();
    List<String> rejected = List.of();
    if (r.state() != ReleaseState.DRAFT && r.check().isPresent()) {
      CertificationTally tally =
          CertificationTally.of(policy, CertificationService.statementOf(r), signOffs);
      approved = tally.approvedBy().stream().map(CertifierId::value).sorted().toList();
      rejected = tally.rejectedBy().stream().map(CertifierId::value).sorted().toList();
    }
    CertificationView certification =
        new CertificationView(
            policy.threshold(),
            policy.certifierIds().stream().map(CertifierId::value).toList(),
            policy.sequence(),
            approved,
            rejected);
    return ReleaseView.of(
        releaseSummary(r), check, signOffs.stream().map(Views::signOff).toList(), certification);
  }

  static ArtifactView artifact(Artifact a) {
    return new ArtifactView(a.name().value(), a.sha256().hex(), a.size());
  }

  static SignOffView signOff(SignOff s) {
    return new SignOffView(
        s.certifier().value(),
        s.keyId(),
        s.decision().wireName(),
        s.reason().orElse(null),
        s.statementSha256().hex(),
        s.signatureBase64(),
        time(s.signedAt()));
  }

  static AuditEventView auditEvent(AuditEvent e) {
    return new AuditEventView(
        e.seq(), time(e.at()), e.actor(), e.action(), e.subject(), e.detail());
  }

  static DeviceView device(dev.sluice.core.device.Device d) {
    return new DeviceView(
        d.id().value(),
        d.product().value(),
        d.status().name().toLowerCase(Locale.ROOT),
        List.copyOf(d.tags()),
        d.attributes(),
        d.installedVersion().map(v -> v.value()).orElse(null),
        d.installedRelease().map(r -> r.value()).orElse(null),
        time(d.registeredAt()),
        d.lastSeen().map(Views::time).orElse(null),
        d.decommissionedAt().map(Views::time).orElse(null),
        null);
  }

  /** An API token without its secret (the server does not have it). */
  static TokenView token(dev.sluice.core.token.ApiToken t) {
    return new TokenView(
        t.id().value(),
        t.label(),
        t.role().wireName(),
        t.certifier().map(c -> c.value()).orElse(null),
        t.product().map(p -> p.value()).orElse(null),
        time(t.createdAt()),
        t.expiresAt().map(Views::time).orElse(null),
        t.revokedAt().map(Views::time).orElse(null),
        null);
  }

  /** A record as a tree, for the answers that are not records yet. */
  static ObjectNode tree(Object record) {
    return WireJson.MAPPER.valueToTree(record);
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
