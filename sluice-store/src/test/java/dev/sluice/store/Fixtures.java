package dev.sluice.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.CheckRecord;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.CheckReport;
import dev.sluice.core.standards.DefaultStandards;
import dev.sluice.core.standards.Severity;
import dev.sluice.core.standards.StandardResult;
import dev.sluice.core.standards.StandardsSet;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Domain objects for the repository contract, built in code. Instants are whole milliseconds. */
public final class Fixtures {
  public static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);
  public static final String EVIL =
      "'; DROP TABLE releases; -- \"double\" `back` \\ backslash \\\\ %_ wildcards"
          + " Grüße ß 中文 עברית 🚀 e\u0301";

  private Fixtures() {}

  public static Instant at(int secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  public static ReleaseId releaseId() {
    return ReleaseId.generate(Clock.fixed(T0, ZoneOffset.UTC));
  }

  public static VerificationKey key() {
    return TestKeys.ed25519().verificationKey();
  }

  public static Certifier certifier(String id) {
    return new Certifier(new CertifierId(id), "Lab " + id, List.of(key()), T0);
  }

  public static Product product(String name, List<Certifier> certifiers, int threshold) {
    StandardsSet standards = new StandardsSet(name, 1, DefaultStandards.get().standards());
    return new Product(
        new ProductName(name),
        "The " + name + " line",
        certifiers.stream().map(Certifier::id).toList(),
        threshold,
        1L << 30,
        standards,
        T0);
  }

  public static ReleaseManifest manifest(String product, String version, List<String> artifacts) {
    return ReleaseManifest.fromJson(
        ExampleManifests.valid(
            product,
            Version.parse(version),
            artifacts.stream().map(name -> artifact(name, name)).toList()));
  }

  public static Release draft(ProductName product, String version) {
    ReleaseManifest manifest = manifest(product.value(), version, List.of("rootfs.img"));
    return new Release(
        releaseId(),
        product,
        new Version(version),
        ReleaseState.DRAFT,
        manifest,
        Sha256.of(manifest.rawBytes()),
        List.of(),
        Optional.empty(),
        "release-bot",
        T0,
        T0);
  }

  public static Release withState(Release draft, ReleaseState state) {
    return new Release(
        draft.id(),
        draft.product(),
        draft.version(),
        state,
        draft.manifest(),
        draft.manifestSha256(),
        draft.artifacts(),
        Optional.of(check(draft.product().value())),
        draft.createdBy(),
        draft.createdAt(),
        draft.updatedAt());
  }

  public static CheckRecord check(String standardsSetId) {
    CheckReport report =
        CheckReport.of(
            standardsSetId,
            1,
            List.of(
                new StandardResult(
                    "sbom-present",
                    "An SBOM is embedded",
                    Severity.ERROR,
                    CheckReport.Outcome.PASS,
                    "the manifest embeds an SBOM",
                    List.of(),
                    null),
                new StandardResult(
                    "licenses-known",
                    "Licenses are known",
                    Severity.WARNING,
                    CheckReport.Outcome.FAIL,
                    EVIL,
                    List.of("libfoo", EVIL),
                    null)));
    return new CheckRecord(report, Sha256.of("report".getBytes(StandardCharsets.UTF_8)), at(60));
  }

  public static Artifact artifact(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new Artifact(new ArtifactName(name), Sha256.of(bytes), bytes.length);
  }

  public static SignOff approval(ReleaseId release, Certifier certifier, Instant at) {
    return new SignOff(
        release,
        certifier.id(),
        certifier.keys().getFirst().keyId(),
        Decision.APPROVE,
        Optional.empty(),
        Sha256.of("statement".getBytes(StandardCharsets.UTF_8)),
        Base64.getEncoder()
            .encodeToString(("sig of " + certifier.id()).getBytes(StandardCharsets.UTF_8)),
        at);
  }

  public static SignOff rejection(
      ReleaseId release, Certifier certifier, String reason, Instant at) {
    return new SignOff(
        release,
        certifier.id(),
        certifier.keys().getFirst().keyId(),
        Decision.REJECT,
        Optional.of(reason),
        Sha256.of("statement".getBytes(StandardCharsets.UTF_8)),
        Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}),
        at);
  }

  public static AuditEvent event(String subject, String action, Instant at) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode().put("note", EVIL);
    detail.putArray("list").add(1).add("two");
    return AuditEvent.draft(at, "admin", action, subject, detail);
  }
}
