package dev.sluice.core.publication;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Text;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.policy.PolicyRef;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry of the transparency log: what was published (or revoked), exactly. A release record
 * carries the certified statement's contents and every approving certifier's signature over it, so
 * anyone reading the log can re-verify the certification with the certifiers' public keys alone.
 * Its canonical JSON bytes are the log entry; they must fit a tlog-tiles entry (65,535 bytes).
 * Format v2 (docs/records.md) names the product's policy record the sign-offs were checked against;
 * a record without {@code policy} is in format v1.
 */
public record ReleaseRecord(
    Kind kind,
    ReleaseId releaseId,
    ReleaseStatement statement,
    List<SignOff> approvals,
    Optional<String> revocationReason,
    Instant time,
    Optional<PolicyRef> policy) {

  /** The format of records that name the certification policy they were published under. */
  public static final String FORMAT = "sluice.release-record/v2";

  /**
   * The format of records written before policies were logged: no {@code policy} field. Kept so
   * that a publication stored in that format is resumed with the identical bytes.
   */
  public static final String FORMAT_V1 = "sluice.release-record/v1";

  /** A tlog-tiles entry bundle stores each entry's length as a 16-bit number. */
  public static final int MAX_ENTRY_BYTES = 65_535;

  /** What the record announces. */
  public enum Kind {
    RELEASE,
    REVOCATION;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ReleaseRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(statement, "statement");
    approvals =
        approvals.stream()
            .sorted(Comparator.comparing((SignOff s) -> s.certifier().value()))
            .toList();
    if (approvals.stream().anyMatch(s -> s.decision() != Decision.APPROVE)) {
      throw new IllegalArgumentException("a release record carries approvals only");
    }
    if (approvals.stream().anyMatch(s -> !s.statementSha256().equals(statement.sha256()))) {
      throw new IllegalArgumentException("every approval must be over the record's statement");
    }
    Objects.requireNonNull(revocationReason, "revocationReason");
    if ((kind == Kind.REVOCATION) != revocationReason.isPresent()) {
      throw new IllegalArgumentException("a revocation, and only a revocation, carries a reason");
    }
    revocationReason =
        // One line: the record's canonical bytes are also read as ordinary JSON by auditors, and
        // canonical JSON would write a line break raw.
        revocationReason.map(r -> Text.check("a revocation reason", r, 2000, true, false));
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.SECONDS);
    Objects.requireNonNull(policy, "policy");
    if (canonicalBytes(kind, releaseId, statement, approvals, revocationReason, time, policy).length
        > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "the release record exceeds the log's entry limit of " + MAX_ENTRY_BYTES + " bytes");
    }
  }

  /** A record in format v1 (without a policy), as written before policies were logged. */
  public ReleaseRecord(
      Kind kind,
      ReleaseId releaseId,
      ReleaseStatement statement,
      List<SignOff> approvals,
      Optional<String> revocationReason,
      Instant time) {
    this(kind, releaseId, statement, approvals, revocationReason, time, Optional.empty());
  }

  /** A release record in format v2, certified under the policy record {@code policy}. */
  public static ReleaseRecord release(
      ReleaseId id,
      ReleaseStatement statement,
      List<SignOff> approvals,
      PolicyRef policy,
      Instant time) {
    return new ReleaseRecord(
        Kind.RELEASE, id, statement, approvals, Optional.empty(), time, Optional.of(policy));
  }

  /** A revocation record in format v2. */
  public static ReleaseRecord revocation(
      ReleaseId id,
      ReleaseStatement statement,
      List<SignOff> approvals,
      String reason,
      PolicyRef policy,
      Instant time) {
    return new ReleaseRecord(
        Kind.REVOCATION, id, statement, approvals, Optional.of(reason), time, Optional.of(policy));
  }

  /** A release record in format v1 (no policy), as written before policies were logged. */
  public static ReleaseRecord release(
      ReleaseId id, ReleaseStatement statement, List<SignOff> approvals, Instant time) {
    return new ReleaseRecord(Kind.RELEASE, id, statement, approvals, Optional.empty(), time);
  }

  /** A revocation record in format v1 (no policy). */
  public static ReleaseRecord revocation(
      ReleaseId id,
      ReleaseStatement statement,
      List<SignOff> approvals,
      String reason,
      Instant time) {
    return new ReleaseRecord(Kind.REVOCATION, id, statement, approvals, Optional.of(reason), time);
  }

  /** The log entry: this record's canonical JSON. */
  public byte[] canonicalBytes() {
    return canonicalBytes(kind, releaseId, statement, approvals, revocationReason, time, policy);
  }

  private static byte[] canonicalBytes(
      Kind kind,
      ReleaseId releaseId,
      ReleaseStatement statement,
      List<SignOff> approvals,
      Optional<String> revocationReason,
      Instant time,
      Optional<PolicyRef> policy) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("format", policy.isPresent() ? FORMAT : FORMAT_V1);
    root.put("type", kind.wireName());
    root.put("release_id", releaseId.value());
    root.put("product", statement.product().value());
    root.put("version", statement.version().toString());
    ArrayNode artifacts = root.putArray("artifacts");
    for (Artifact a : statement.artifacts()) {
      artifacts
          .addObject()
          .put("name", a.name().value())
          .put("sha256", a.sha256().hex())
          .put("size", a.size());
    }
    root.put("manifest_sha256", statement.manifestSha256().hex());
    root.putObject("standards")
        .put("id", statement.standardsSetId())
        .put("version", statement.standardsVersion());
    root.put("report_sha256", statement.reportSha256().hex());
    root.put("statement_sha256", statement.sha256().hex());
    policy.ifPresent(p -> root.set("policy", p.toJson()));
    ArrayNode signOffs = root.putArray("signoffs");
    for (SignOff s : approvals) {
      signOffs
          .addObject()
          .put("certifier", s.certifier().value())
          .put("key_id", s.keyId())
          .put("signature", s.signatureBase64());
    }
    revocationReason.ifPresent(r -> root.put("reason", r));
    root.put("time", time.toString());
    return CanonicalJson.encode(root);
  }

  /** The record's digest, which is not its log leaf hash (that prefixes a 0x00 byte). */
  public Sha256 sha256() {
    return Sha256.of(canonicalBytes());
  }
}
