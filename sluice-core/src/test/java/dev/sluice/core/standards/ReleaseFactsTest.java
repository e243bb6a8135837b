package dev.sluice.core.standards;

import static dev.sluice.core.testing.ManifestFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.testing.ManifestFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseFactsTest {

  @Test
  void factsExposeTheManifestUploadsPreviousReleaseAndLimits() {
    ManifestFixtures.Builder m = manifest().set("/sbom/ratio", 0.5);
    ReleaseFacts facts =
        ReleaseFacts.of(m.build(), m.uploaded(), Optional.of(manifest().version("1").build()), 99);
    Map<String, Object> vars = facts.variables();
    assertThat(vars)
        .containsOnlyKeys("manifest", "artifacts", "previous", "has_previous", "limits");
    assertThat(facts.manifest().get("product")).isEqualTo("acme-phone");
    assertThat(facts.manifest().get("artifacts")).isInstanceOf(List.class);
    assertThat(((Map<?, ?>) facts.manifest().get("sbom")).get("ratio")).isEqualTo(0.5);
    assertThat(((Map<?, ?>) facts.manifest().get("sbom")).get("version")).isEqualTo(1L);
    assertThat(facts.artifacts().get(0))
        .containsEntry("name", "os.img")
        .containsEntry("sha256", m.uploaded().get(0).sha256().hex())
        .containsEntry("size", m.uploaded().get(0).size());
    assertThat(facts.previous().get("version")).isEqualTo("1");
    assertThat(facts.hasPrevious()).isTrue();
    assertThat(facts.limits()).containsEntry("max_artifact_size", 99L);
  }

  @Test
  void withoutAPreviousReleaseThePreviousManifestIsEmpty() {
    ManifestFixtures.Builder m = manifest();
    ReleaseFacts facts = ReleaseFacts.of(m.build(), m.uploaded(), Optional.empty(), 1);
    assertThat(facts.previous()).isEmpty();
    assertThat(facts.hasPrevious()).isFalse();
  }

  @Test
  void factsCannotBeModified() {
    ManifestFixtures.Builder m = manifest();
    ReleaseFacts facts = ReleaseFacts.of(m.build(), m.uploaded(), Optional.empty(), 1);
    assertThatThrownBy(() -> facts.manifest().put("product", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) facts.manifest().get("components")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void negativeSizeLimitIsRefused() {
    ManifestFixtures.Builder m = manifest();
    assertThatThrownBy(() -> ReleaseFacts.of(m.build(), m.uploaded(), Optional.empty(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
