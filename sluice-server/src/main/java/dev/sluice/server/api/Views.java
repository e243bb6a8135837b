package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.sluice.server.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The JSON shapes of the management API (see /api/v1/openapi.json). */
final class Views {
  private Views() {}

  static ObjectNode certifier(Certifier c) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", c.id().value());
    node.put("display_name", c.displayName());
    ArrayNode keys = node.putArray("keys");
    c.keys()
        .forEach(
            k -> {
              ObjectNode key = keys.addObject();
              key.put("keyid", k.keyId());
              key.setAll(k.toTufJson());
            });
    node.put("created_at", time(c.createdAt()));
    node.put("version", c.keyVersion());
    return node;
  }

  /**
   * A policy record as served: its sequence, the log index (null until sequenced), the leaf hash
   * and record digest, and the record itself (its canonical JSON is the log entry).
   */
  static ObjectNode policy(StoredPolicy p, Optional<Long> logIndex) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("product", p.statement().product().value());
    node.put("sequence", p.sequence());
    if (logIndex.isPresent()) {
      node.put("log_index", logIndex.get());
    } else {
      node.putNull("log_index");
    }
    node.put("leaf_hash", p.leafHash().hex());
    node.put("record_sha256", p.record().sha256().hex());
    node.set("record", p.record().toJson());
    return node;
  }

  static ObjectNode product(Product p) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", p.name().value());
    node.put("description", p.description());
    ArrayNode certifiers = node.putArray("certifiers");
    p.certifiers().forEach(c -> certifiers.add(c.value()));
    node.put("threshold", p.threshold());
    node.put("max_artifact_size", p.maxArtifactSize());
    node.set("standards", StandardsJson.toJson(p.standards()));
    node.put("created_at", time(p.createdAt()));
    node.put("security_updates_deferrable", p.securityUpdatesDeferrable());
    return node;
  }

  static ObjectNode releaseSummary(Release r) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", r.id().value());
    node.put("product", r.product().value());
    node.put("version", r.version().toString());
    node.put("state", r.state().wireName());
    node.put("manifest_sha256", r.manifestSha256().hex());
    ArrayNode declared = node.putArray("declared_artifacts");
    r.manifest().artifactNames().forEach(declared::add);
    ArrayNode artifacts = node.putArray("artifacts");
    r.artifacts().forEach(a -> artifacts.add(artifact(a)));
    node.put("created_by", r.createdBy());
    node.put("created_at", time(r.createdAt()));
    node.put("updated_at", time(r.updatedAt()));
    return node;
  }

  static ObjectNode release(Release r, PolicyStatement policy, List<SignOff> signOffs) {
    ObjectNode node = releaseSummary(r);
    r.check()
        .ifPresentOrElse(
            check -> {
              ObjectNode c = node.putObject("check");
              c.set("report", check.report().toJson());
              c.put("report_sha256", check.reportSha256().hex());
              c.put("checked_at", time(check.checkedAt()));
            },
            () -> node.putNull("check"));
    ArrayNode list = node.putArray("signoffs");
    signOffs.forEach(s -> list.add(signOff(s)));
    ObjectNode certification = node.putObject("certification");
    certification.put("threshold", policy.threshold());
    ArrayNode certifiers = certification.putArray("certifiers");
    policy.certifierIds().forEach(c -> certifiers.add(c.value()));
    certification.put("policy_sequence", policy.sequence());
    if (r.state() != ReleaseState.DRAFT && r.check().isPresent()) {
      CertificationTally tally =
          CertificationTally.of(policy, CertificationService.statementOf(r), signOffs);
      ArrayNode approved = certification.putArray("approved_by");
      tally.approvedBy().stream().map(CertifierId::value).sorted().forEach(approved::add);
      ArrayNode rejected = certification.putArray("rejected_by");
      tally.rejectedBy().stream().map(CertifierId::value).sorted().forEach(rejected::add);
    } else {
      certification.putArray("approved_by");
      certification.putArray("rejected_by");
    }
    return node;
  }

  static ObjectNode artifact(Artifact a) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", a.name().value());
    node.put("sha256", a.sha256().hex());
    node.put("size", a.size());
    return node;
  }

  static ObjectNode signOff(SignOff s) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("certifier", s.certifier().value());
    node.put("key_id", s.keyId());
    node.put("decision", s.decision().wireName());
    s.reason().ifPresent(r -> node.put("reason", r));
    node.put("statement_sha256", s.statementSha256().hex());
    node.put("signature", s.signatureBase64());
    node.put("signed_at", time(s.signedAt()));
    return node;
  }

  static ObjectNode auditEvent(AuditEvent e) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("seq", e.seq());
    node.put("at", time(e.at()));
    node.put("actor", e.actor());
    node.put("action", e.action());
    node.put("subject", e.subject());
    node.set("detail", e.detail());
    return node;
  }

  static ObjectNode device(dev.sluice.core.device.Device d) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("controller_id", d.id().value());
    node.put("product", d.product().value());
    node.put("status", d.status().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode tags = node.putArray("tags");
    d.tags().forEach(tags::add);
    ObjectNode attributes = node.putObject("attributes");
    d.attributes().forEach(attributes::put);
    d.installedVersion().ifPresent(v -> node.put("installed_version", v.value()));
    d.installedRelease().ifPresent(r -> node.put("installed_release", r.value()));
    node.put("registered_at", time(d.registeredAt()));
    d.lastSeen().ifPresent(t -> node.put("last_seen", time(t)));
    d.decommissionedAt().ifPresent(t -> node.put("decommissioned_at", time(t)));
    return node;
  }

  /** An API token without its secret (the server does not have it). */
  static ObjectNode token(dev.sluice.core.token.ApiToken t) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", t.id().value());
    node.put("label", t.label());
    node.put("role", t.role().wireName());
    t.certifier().ifPresent(c -> node.put("certifier", c.value()));
    t.product().ifPresent(p -> node.put("product", p.value()));
    node.put("created_at", time(t.createdAt()));
    t.expiresAt().ifPresent(e -> node.put("expires_at", time(e)));
    t.revokedAt().ifPresent(r -> node.put("revoked_at", time(r)));
    return node;
  }

  static String time(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }
}
