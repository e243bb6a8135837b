package dev.sluice.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.ReleaseManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapabilityDiffTest {
  private static ObjectNode manifest(String version) {
    return ExampleManifests.valid(
        "acme-phone",
        dev.sluice.core.manifest.Version.parse(version),
        List.of(
            new dev.sluice.core.manifest.Artifact(
                new dev.sluice.core.manifest.ArtifactName("rootfs.img"),
                dev.sluice.trust.hash.Sha256.of(new byte[] {1}),
                1)));
  }

  private static ReleaseManifest parse(ObjectNode json) {
    return ReleaseManifest.parse(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode capability(ObjectNode m, String kind, String value, String why) {
    ObjectNode c = m.objectNode();
    c.put("component", m.get("components").get(0).get("name").asText());
    c.put("kind", kind);
    c.put("value", value);
    c.put("justification", why);
    return c;
  }

  @Test
  void addedAndRemovedCapabilitiesAreFoundFromBothManifestsWithTheirJustifications() {
    ObjectNode before = manifest("1.0.0");
    ObjectNode dropped = capability(before, "data_collected", "crash-dumps", "Debugging.");
    ((ArrayNode) before.get("capabilities")).add(dropped);
    ObjectNode after = manifest("1.1.0");
    ObjectNode added = capability(after, "permission", "camera", "Scans QR codes at setup.");
    ((ArrayNode) after.get("capabilities")).add(added);
    ((ObjectNode) after.get("changes")).putArray("capabilities_added").add(added.deepCopy());
    ObjectNode removal = dropped.deepCopy().put("justification", "No longer needed.");
    ((ObjectNode) after.get("changes")).putArray("capabilities_removed").add(removal);

    CapabilityDiff diff =
        CapabilityDiff.between(Optional.of(parse(before)), Optional.of("1.0.0"), parse(after));

    assertThat(diff.added())
        .extracting(CapabilityDiff.Change::value, CapabilityDiff.Change::justification)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("camera", "Scans QR codes at setup."));
    assertThat(diff.removed())
        .extracting(CapabilityDiff.Change::value, CapabilityDiff.Change::justification)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("crash-dumps", "No longer needed."));
    assertThat(diff.added().getFirst().kindInWords()).isEqualTo("permission");
    assertThat(diff.removed().getFirst().kindInWords()).isEqualTo("collected data");
  }

  @Test
  void anUndeclaredAdditionStillShowsWithoutAJustification() {
    ObjectNode after = manifest("1.1.0");
    ObjectNode added = capability(after, "network_endpoint", "x.example:443", "");
    ((ArrayNode) after.get("capabilities")).add(added);

    CapabilityDiff diff =
        CapabilityDiff.between(
            Optional.of(parse(manifest("1.0.0"))), Optional.of("1.0.0"), parse(after));

    assertThat(diff.added())
        .extracting(CapabilityDiff.Change::value)
        .containsExactly("x.example:443");
    assertThat(diff.removed()).isEmpty();
  }

  @Test
  void theFirstReleaseOfAProductAddsEverything() {
    ReleaseManifest first = parse(manifest("1.0.0"));

    CapabilityDiff diff = CapabilityDiff.between(Optional.empty(), Optional.empty(), first);

    assertThat(diff.previousVersion()).isEmpty();
    assertThat(diff.added()).hasSize(first.json().get("capabilities").size());
  }
}
