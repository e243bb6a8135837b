package dev.sluice.core.manifest;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;

/** An uploaded artifact of a release: its name, content digest and size in bytes. */
public record Artifact(ArtifactName name, Sha256 sha256, long size) {
  public Artifact {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0) {
      throw new IllegalArgumentException("an artifact size cannot be negative");
    }
  }
}
