package dev.sluice.core.standards;

import static dev.sluice.core.testing.ManifestFixtures.artifact;
import static dev.sluice.core.testing.ManifestFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.standards.CheckReport.Outcome;
import dev.sluice.core.standards.CheckReport.Verdict;
import dev.sluice.core.testing.ManifestFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One passing and one failing release per default standard, with the offenders it reports. */
class DefaultStandardsTest {
  private static final long LIMIT = 1 << 20;
  private static final CompiledStandards DEFAULTS =
      new StandardsEngine().compile(DefaultStandards.get());

  @Test
  void defaultSetIsVersionOneWithTheDocumentedStandards() {
    StandardsSet set = DefaultStandards.get();
    assertThat(set.id()).isEqualTo("sluice-default");
    assertThat(set.version()).isEqualTo(1);
    assertThat(set.standards())
        .extracting(Standard::id)
        .containsExactly(
            "version-increases",
            "patch-level-not-older",
            "artifacts-uploaded",
            "artifact-digests-match",
            "artifact-size-within-limit",
            "components-have-version-and-license",
            "added-capabilities-declared",
            "removed-capabilities-declared",
            "network-endpoints-declared",
            "sbom-matches-components",
            "provenance-matches-artifacts",
            "sbom-present");
    assertThat(set.standards())
        .filteredOn(s -> s.severity() == Severity.WARNING)
        .extracting(Standard::id)
        .containsExactly("removed-capabilities-declared", "sbom-present");
  }

  @Test
  void fixtureReleasePassesEveryDefaultStandard() {
    CheckReport report = check(manifest());
    assertThat(report.results()).allMatch(r -> r.outcome() == Outcome.PASS, "all pass");
    assertThat(report.verdict()).isEqualTo(Verdict.PASSED);
  }

  @Test
  void exampleReleasesPassAsFirstAndAsSuccessor() {
    List<Artifact> files = List.of(artifact("system.img"), artifact("boot.img"));
    ReleaseManifest first =
        ReleaseManifest.fromJson(ExampleManifests.valid("demo", Version.parse("1.0.0"), files));
    ReleaseManifest second =
        ReleaseManifest.fromJson(ExampleManifests.valid("demo", Version.parse("1.1.0"), files));
    assertThat(DEFAULTS.evaluate(ReleaseFacts.of(first, files, Optional.empty(), LIMIT)).results())
        .allMatch(r -> r.outcome() == Outcome.PASS);
    assertThat(
            DEFAULTS.evaluate(ReleaseFacts.of(second, files, Optional.of(first), LIMIT)).results())
        .allMatch(r -> r.outcome() == Outcome.PASS);
  }

  // version-increases

  @Test
  void lowerVersionThanThePreviousReleaseBlocksTheRelease() {
    CheckReport report = check(manifest().version("14.1.9"), manifest().version("14.2.0"));
    assertFails(
        report, "version-increases", "14.1.9 is not higher than the previous release 14.2.0");
    assertThat(report.verdict()).isEqualTo(Verdict.BLOCKED);
  }

  @Test
  void sameVersionAsThePreviousReleaseBlocksTheRelease() {
    assertFails(
        check(manifest().version("14.2"), manifest().version("14.2.0")),
        "version-increases",
        "14.2 is not higher than the previous release 14.2.0");
  }

  @Test
  void higherVersionPassesEvenWhenOnlyAPreReleaseWasBefore() {
    assertPasses(
        check(manifest().version("14.2.0"), manifest().version("14.2.0-rc.2")),
        "version-increases");
    assertPasses(
        check(manifest().version("14.10"), manifest().version("14.9.9")), "version-increases");
  }

  // patch-level-not-older

  @Test
  void olderSecurityPatchLevelBlocksTheRelease() {
    assertFails(
        check(
            manifest().version("15").securityPatchLevel("2025-12-05"),
            manifest().version("14").securityPatchLevel("2026-01-05")),
        "patch-level-not-older",
        "2025-12-05 is older than the previous release's 2026-01-05");
  }

  @Test
  void sameSecurityPatchLevelAsThePreviousReleasePasses() {
    assertPasses(
        check(manifest().version("15"), manifest().version("14")), "patch-level-not-older");
  }

  // artifacts-uploaded

  @Test
  void declaredArtifactThatWasNotUploadedBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest();
    CheckReport report = check(m, m.uploaded().subList(0, 1), Optional.empty());
    assertFails(report, "artifacts-uploaded", "declared but not uploaded: boot.img");
  }

  @Test
  void undeclaredUploadBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest();
    List<Artifact> uploaded = new ArrayList<>(m.uploaded());
    uploaded.add(artifact("extra.bin"));
    assertFails(
        check(m, uploaded, Optional.empty()),
        "artifacts-uploaded",
        "uploaded but not declared: extra.bin");
  }

  // artifact-digests-match

  @Test
  void uploadWhoseDigestDiffersFromTheManifestBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest().withoutProvenance();
    List<Artifact> uploaded =
        List.of(artifact("os.img", "tampered content!".getBytes()), m.uploaded().get(1));
    assertThat(uploaded.get(0).size()).isEqualTo(m.uploaded().get(0).size());
    assertFails(
        check(m, uploaded, Optional.empty()),
        "artifact-digests-match",
        "os.img: sha256 differs from the upload");
  }

  @Test
  void uploadWhoseSizeDiffersFromTheManifestBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest().set("/artifacts/1/size", 12345);
    assertFails(check(m), "artifact-digests-match", "boot.img: size differs from the upload");
  }

  @Test
  void aVersion1ArtifactWithoutDeclaredDigestOrSizeIsNotCompared() throws Exception {
    // Only releases stored by an earlier Sluice have such manifests (manifest v1).
    ManifestFixtures.Builder m =
        manifest()
            .withoutProvenance()
            .set("/schema", ReleaseManifest.FORMAT_V1)
            .remove("/artifacts/0/sha256")
            .remove("/artifacts/0/size");
    ReleaseManifest stored = ReleaseManifest.stored(new ObjectMapper().writeValueAsBytes(m.json()));
    List<Artifact> uploaded = List.of(artifact("os.img", new byte[3]), m.uploaded().get(1));
    assertPasses(
        DEFAULTS.evaluate(ReleaseFacts.of(stored, uploaded, Optional.empty(), LIMIT)),
        "artifact-digests-match");
  }

  // artifact-size-within-limit

  @Test
  void artifactOverTheSizeLimitBlocksTheRelease() {
    Artifact big = artifact("os.img", new byte[(int) LIMIT + 1]);
    ManifestFixtures.Builder m = manifest().artifacts(big, artifact("boot.img"));
    assertFails(
        check(m), "artifact-size-within-limit", "os.img: 1048577 bytes, the limit is 1048576");
  }

  @Test
  void artifactOfExactlyTheLimitPasses() {
    Artifact exact = artifact("os.img", new byte[(int) LIMIT]);
    assertPasses(check(manifest().artifacts(exact)), "artifact-size-within-limit");
  }

  // components-have-version-and-license

  @Test
  void componentWithoutLicenseOrVersionBlocksTheRelease() {
    ManifestFixtures.Builder m =
        manifest()
            .component("mystery", "1.0", null)
            .component("unknown", null, "MIT")
            .component("vague", "2", "NOASSERTION")
            .withoutSbom();
    assertFails(
        check(m),
        "components-have-version-and-license",
        "unknown: no version",
        "mystery: no license",
        "vague: no license");
  }

  // added-capabilities-declared

  @Test
  void newCapabilityWithoutDeclarationBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest().undeclaredCapability("linux", "permission", "kexec");
    assertFails(check(m), "added-capabilities-declared", "linux: permission kexec");
  }

  @Test
  void newCapabilityWithBlankJustificationBlocksTheRelease() {
    ManifestFixtures.Builder m =
        manifest().capability("linux", "data_collected", "crash dumps", "   ");
    assertFails(check(m), "added-capabilities-declared", "linux: data_collected crash dumps");
  }

  @Test
  void capabilityCarriedOverFromThePreviousReleaseNeedNotBeDeclaredAgain() {
    ManifestFixtures.Builder previous = manifest().version("14.1.0");
    ManifestFixtures.Builder current = manifest().withoutDeclaredAdditions();
    assertPasses(check(current, previous), "added-capabilities-declared");
  }

  @Test
  void firstReleaseMustDeclareEveryCapabilityAsAdded() {
    assertFails(
        check(manifest().withoutDeclaredAdditions()),
        "added-capabilities-declared",
        "updater: network_endpoint https://updates.example.com/",
        "updater: permission reboot");
  }

  @Test
  void capabilityNewSinceThePreviousReleaseMustBeDeclared() {
    ManifestFixtures.Builder previous = manifest().version("14.1.0");
    ManifestFixtures.Builder current =
        manifest().withoutDeclaredAdditions().undeclaredCapability("updater", "permission", "wifi");
    assertFails(
        check(current, previous), "added-capabilities-declared", "updater: permission wifi");
  }

  // removed-capabilities-declared (warning)

  @Test
  void undeclaredRemovedCapabilityWarnsButDoesNotBlock() {
    ManifestFixtures.Builder previous =
        manifest().version("14.1.0").capability("linux", "permission", "kexec", "live patching");
    CheckReport report = check(manifest().withoutDeclaredAdditions(), previous);
    assertFails(report, "removed-capabilities-declared", "linux: permission kexec");
    assertThat(result(report, "removed-capabilities-declared").severity())
        .isEqualTo(Severity.WARNING);
    assertThat(report.verdict()).isEqualTo(Verdict.PASSED);
  }

  @Test
  void declaredRemovedCapabilityPasses() {
    ManifestFixtures.Builder previous =
        manifest().version("14.1.0").capability("linux", "permission", "kexec", "live patching");
    ManifestFixtures.Builder current =
        manifest().withoutDeclaredAdditions().declareRemoved("linux", "permission", "kexec");
    assertPasses(check(current, previous), "removed-capabilities-declared");
  }

  // network-endpoints-declared

  @Test
  void undeclaredNetworkEndpointBlocksTheRelease() {
    List<Artifact> files = List.of(artifact("system.img"));
    ReleaseManifest m =
        ReleaseManifest.fromJson(ExampleManifests.breaking("demo", Version.parse("1.0.0"), files));
    CheckReport report = DEFAULTS.evaluate(ReleaseFacts.of(m, files, Optional.empty(), LIMIT));
    assertFails(report, "network-endpoints-declared", "sluice-agent: telemetry.example.net:443");
    assertThat(report.blocking())
        .extracting(StandardResult::id)
        .containsExactly("network-endpoints-declared");
    assertThat(report.verdict()).isEqualTo(Verdict.BLOCKED);
  }

  @Test
  void endpointDeclaredForAnotherComponentDoesNotCount() {
    ManifestFixtures.Builder m =
        manifest().component("weather", "1", "MIT", "https://updates.example.com/").withoutSbom();
    assertFails(check(m), "network-endpoints-declared", "weather: https://updates.example.com/");
  }

  // sbom-matches-components

  @Test
  void sbomThatDisagreesWithTheComponentsBlocksTheRelease() {
    ManifestFixtures.Builder m =
        manifest()
            .set("/sbom/components/0/version", "6.6.59")
            .set("/sbom/components/-", sbomEntry("busybox", "1.36"));
    assertFails(
        check(m),
        "sbom-matches-components",
        "not in the SBOM: linux@6.6.58",
        "not in the manifest's components: linux@6.6.59",
        "not in the manifest's components: busybox@1.36");
  }

  @Test
  void missingSbomOnlyWarns() {
    CheckReport report = check(manifest().withoutSbom());
    assertPasses(report, "sbom-matches-components");
    assertFails(report, "sbom-present");
    assertThat(report.verdict()).isEqualTo(Verdict.PASSED);
  }

  // provenance-matches-artifacts

  @Test
  void provenanceSubjectWithAnotherDigestBlocksTheRelease() {
    String other = "ab".repeat(32);
    assertFails(
        check(manifest().set("/provenance/subject/0/digest/sha256", other)),
        "provenance-matches-artifacts",
        "os.img: subject sha256 differs from the upload");
  }

  @Test
  void uploadMissingFromTheProvenanceBlocksTheRelease() {
    assertFails(
        check(manifest().remove("/provenance/subject/1")),
        "provenance-matches-artifacts",
        "not a provenance subject: boot.img");
  }

  @Test
  void provenanceSubjectThatWasNotUploadedBlocksTheRelease() {
    ManifestFixtures.Builder m = manifest();
    m.set("/provenance/subject/1/name", "ghost.img");
    assertFails(
        check(m),
        "provenance-matches-artifacts",
        "subject not uploaded: ghost.img",
        "not a provenance subject: boot.img");
  }

  @Test
  void missingProvenanceIsNotRequired() {
    assertPasses(check(manifest().withoutProvenance()), "provenance-matches-artifacts");
  }

  // --- helpers ---

  private static com.fasterxml.jackson.databind.node.ObjectNode sbomEntry(
      String name, String version) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode()
        .put("name", name)
        .put("version", version);
  }

  private static CheckReport check(ManifestFixtures.Builder m) {
    return check(m, m.uploaded(), Optional.empty());
  }

  private static CheckReport check(ManifestFixtures.Builder m, ManifestFixtures.Builder previous) {
    return check(m, m.uploaded(), Optional.of(previous.build()));
  }

  private static CheckReport check(
      ManifestFixtures.Builder m, List<Artifact> uploaded, Optional<ReleaseManifest> previous) {
    return DEFAULTS.evaluate(ReleaseFacts.of(m.build(), uploaded, previous, LIMIT));
  }

  private static StandardResult result(CheckReport report, String id) {
    return report.results().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private static void assertPasses(CheckReport report, String id) {
    StandardResult r = result(report, id);
    assertThat(r.outcome()).as("%s: %s", id, r).isEqualTo(Outcome.PASS);
    assertThat(r.offenders()).isEmpty();
  }

  private static void assertFails(CheckReport report, String id, String... offenders) {
    StandardResult r = result(report, id);
    assertThat(r.outcome()).as("%s: %s", id, r).isEqualTo(Outcome.FAIL);
    assertThat(r.errorDetail()).as("error detail of %s", id).isNull();
    assertThat(r.offenders()).containsExactlyInAnyOrder(offenders);
    assertThat(report.toText()).contains("FAIL").contains(id);
    for (String offender : offenders) {
      assertThat(report.toText()).contains("- " + offender);
    }
  }
}
