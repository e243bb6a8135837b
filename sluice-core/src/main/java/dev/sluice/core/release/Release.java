package dev.sluice.core.release;

import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A release of a product: its manifest, its uploaded artifacts, its state and check outcome. */
public record Release(
    ReleaseId id,
    ProductName product,
    Version version,
    ReleaseState state,
    ReleaseManifest manifest,
    Sha256 manifestSha256,
    List<Artifact> artifacts,
    Optional<CheckRecord> check,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  public Release {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(manifestSha256, "manifestSha256");
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (state != ReleaseState.DRAFT && check.isEmpty()) {
      throw new IllegalArgumentException("a release past DRAFT has a check record");
    }
  }

  public Optional<Artifact> artifact(ArtifactName name) {
    return artifacts.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
