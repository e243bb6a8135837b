package dev.sluice.core.standards;

import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ReleaseManifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What standards are evaluated against: the CEL variables
 *
 * <ul>
 *   <li>{@code manifest}: the release manifest, as a map (JSON objects are maps, arrays lists,
 *       integers {@code int}, other numbers {@code double});
 *   <li>{@code artifacts}: the uploaded artifacts, a list of {@code {name: string, sha256: string,
 *       size: int}};
 *   <li>{@code previous}: the manifest of the product's previous published release, or an empty map
 *       when there is none, and {@code has_previous};
 *   <li>{@code limits}: {@code {max_artifact_size: int}}.
 * </ul>
 *
 * Build with {@link #of}; the values are unmodifiable.
 */
public record ReleaseFacts(
    Map<String, Object> manifest,
    List<Map<String, Object>> artifacts,
    Map<String, Object> previous,
    boolean hasPrevious,
    Map<String, Object> limits) {

  public ReleaseFacts {
    manifest = Collections.unmodifiableMap(Objects.requireNonNull(manifest, "manifest"));
    artifacts = Collections.unmodifiableList(Objects.requireNonNull(artifacts, "artifacts"));
    previous = Collections.unmodifiableMap(Objects.requireNonNull(previous, "previous"));
    limits = Collections.unmodifiableMap(Objects.requireNonNull(limits, "limits"));
    if (hasPrevious == previous.isEmpty()) {
      throw new IllegalArgumentException("hasPrevious must be true exactly when previous is given");
    }
  }

  /**
   * The facts of a release.
   *
   * @param uploaded the artifacts actually uploaded for the release
   * @param previous the manifest of the product's previous published release, if any
   * @param maxArtifactSize the largest artifact the product accepts, in bytes
   */
  public static ReleaseFacts of(
      ReleaseManifest manifest,
      List<Artifact> uploaded,
      Optional<ReleaseManifest> previous,
      long maxArtifactSize) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(uploaded, "uploaded");
    Objects.requireNonNull(previous, "previous");
    if (maxArtifactSize < 0) {
      throw new IllegalArgumentException("maxArtifactSize cannot be negative");
    }
    List<Map<String, Object>> artifacts = new ArrayList<>(uploaded.size());
    for (Artifact a : uploaded) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", a.name().value());
      entry.put("sha256", a.sha256().hex());
      entry.put("size", a.size());
      artifacts.add(Collections.unmodifiableMap(entry));
    }
    return new ReleaseFacts(
        CelValues.map(manifest.json()),
        artifacts,
        previous.map(p -> CelValues.map(p.json())).orElse(Map.of()),
        previous.isPresent(),
        Map.of("max_artifact_size", maxArtifactSize));
  }

  /** The facts as CEL variables, by name. */
  public Map<String, Object> variables() {
    return Map.of(
        "manifest", manifest,
        "artifacts", artifacts,
        "previous", previous,
        "has_previous", hasPrevious,
        "limits", limits);
  }
}
