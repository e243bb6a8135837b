package dev.sluice.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A release manifest in the {@code sluice.release-manifest/v2} format (see {@code
 * docs/manifest.md}) that has passed strict parsing and schema validation. Immutable: {@link
 * #json()} hands out copies.
 *
 * <p>Version 2 requires every artifact's {@code sha256} and {@code size}: an upload is kept only if
 * it is exactly those bytes. New releases must use it; manifests of version 1 are read only from
 * releases an earlier Sluice stored ({@link #stored}).
 */
public final class ReleaseManifest {
  /** The format identifier, the value of the manifest's {@code schema} field. */
  public static final String FORMAT = "sluice.release-manifest/v2";

  /** The previous format, whose artifacts did not have to declare their digest and size. */
  public static final String FORMAT_V1 = "sluice.release-manifest/v1";

  /** The largest manifest accepted, in bytes (4 MiB). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /** At most this many violations are reported; a hostile document could produce millions. */
  static final int MAX_REPORTED_VIOLATIONS = 100;

  private final byte[] raw;
  private final ObjectNode json;
  private final String product;
  private final Version version;
  private final LocalDate securityPatchLevel;
  private final List<String> artifactNames;
  private final Map<String, Declared> declared;

  /** What the manifest declares about an artifact: always both in v2, possibly neither in v1. */
  public record Declared(java.util.Optional<dev.sluice.trust.hash.Sha256> sha256, long size) {
    /** A size of -1 means the (v1) manifest did not declare one. */
    public Declared {
      Objects.requireNonNull(sha256, "sha256");
    }

    public java.util.OptionalLong declaredSize() {
      return size < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(size);
    }
  }

  private ReleaseManifest(byte[] raw, ObjectNode json) {
    this.raw = raw;
    this.json = json;
    this.product = json.get("product").textValue();
    this.version = new Version(json.get("version").textValue());
    this.securityPatchLevel = LocalDate.parse(json.get("security_patch_level").textValue());
    List<String> names = new ArrayList<>();
    Map<String, Declared> declaredByName = new HashMap<>();
    for (JsonNode artifact : json.get("artifacts")) {
      String name = new ArtifactName(artifact.get("name").textValue()).value();
      names.add(name);
      JsonNode sha256 = artifact.get("sha256");
      JsonNode size = artifact.get("size");
      declaredByName.put(
          name,
          new Declared(
              sha256 == null
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(dev.sluice.trust.hash.Sha256.parse(sha256.textValue())),
              size == null ? -1 : size.longValue()));
    }
    this.artifactNames = List.copyOf(names);
    this.declared = Map.copyOf(declaredByName);
  }

  /**
   * Parses and validates a manifest.
   *
   * @throws ManifestTooLargeException when {@code json} is longer than {@link #MAX_BYTES}
   * @throws ManifestException listing every problem found when it is not a valid manifest
   */
  public static ReleaseManifest parse(byte[] json) {
    return parse(json, false);
  }

  /**
   * Reads a manifest a release was stored with: the current format, or version 1 from a release an
   * earlier Sluice created (its artifacts may lack {@code sha256} and {@code size}).
   *
   * @throws ManifestException when it is neither
   */
  public static ReleaseManifest stored(byte[] json) {
    return parse(json, true);
  }

  private static ReleaseManifest parse(byte[] json, boolean acceptV1) {
    Objects.requireNonNull(json, "json");
    if (json.length > MAX_BYTES) {
      throw new ManifestTooLargeException(json.length, MAX_BYTES);
    }
    byte[] raw = json.clone();
    JsonNode tree = StrictJson.parse(raw);
    List<Violation> violations = new ArrayList<>();
    ManifestLint.check(tree, "", violations);
    Set<String> lintPointers = new HashSet<>();
    violations.forEach(v -> lintPointers.add(v.pointer()));
    boolean v1 = FORMAT_V1.equals(tree.path("schema").textValue());
    if (v1 && acceptV1) {
      violations.addAll(ManifestSchema.validateV1(tree, lintPointers));
    } else {
      if (v1) {
        // First, so that it is the summary: the other violations say which fields to add.
        violations.add(0, V1_REFUSED);
      }
      for (Violation v : ManifestSchema.validate(tree, lintPointers)) {
        if (!(v1 && v.pointer().equals("/schema"))) {
          violations.add(v);
        }
      }
    }
    if (violations.isEmpty()) {
      checkSemantics(tree, violations);
    }
    if (!violations.isEmpty()) {
      throw new ManifestException(capped(violations));
    }
    return new ReleaseManifest(raw, (ObjectNode) tree);
  }

  private static final Violation V1_REFUSED =
      new Violation(
          "/schema",
          FORMAT_V1
              + " is no longer accepted for new releases: set \"schema\" to \""
              + FORMAT
              + "\" and give every artifact its \"sha256\" (64 lowercase hex digits) and"
              + " \"size\" (in bytes); uploads are then stored only if they match them"
              + " (docs/manifest.md)");

  /** The format this manifest was written in: {@link #FORMAT} or {@link #FORMAT_V1}. */
  public String format() {
    return json.get("schema").textValue();
  }

  /** What the manifest declares about the artifact {@code name}, if it declares that artifact. */
  public java.util.Optional<Declared> declared(String name) {
    return java.util.Optional.ofNullable(declared.get(name));
  }

  /** Validates a manifest built as a tree, exactly as if its serialized bytes were uploaded. */
  public static ReleaseManifest fromJson(JsonNode json) {
    try {
      return parse(WireJson.MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize the manifest tree", e);
    }
  }

  /** The JSON Schema this class validates against, as shipped. */
  public static JsonNode schema() {
    return ManifestSchema.document();
  }

  public String product() {
    return product;
  }

  public Version version() {
    return version;
  }

  public LocalDate securityPatchLevel() {
    return securityPatchLevel;
  }

  /**
   * The names of the artifacts the manifest declares, in manifest order; each is a valid {@link
   * ArtifactName}.
   */
  public List<String> artifactNames() {
    return artifactNames;
  }

  /** Whether the manifest embeds a CycloneDX SBOM. */
  public boolean hasSbom() {
    return json.has("sbom");
  }

  /** Whether the manifest embeds an in-toto provenance statement. */
  public boolean hasProvenance() {
    return json.has("provenance");
  }

  /**
   * The manifest exactly as it was uploaded (a copy): what its digest is computed over and what is
   * served back to clients.
   */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /** A fresh deep copy of the manifest document; changing it does not change this manifest. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** Manifests are equal when their documents are, however the bytes were laid out. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ReleaseManifest other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "ReleaseManifest[" + product + " " + version + "]";
  }

  // Rules the schema cannot state: real calendar dates and unique names.
  private static void checkSemantics(JsonNode tree, List<Violation> violations) {
    try {
      LocalDate.parse(tree.get("security_patch_level").textValue());
    } catch (DateTimeException e) {
      violations.add(new Violation("/security_patch_level", "is not a calendar date"));
    }
    requireUniqueNames(tree.get("artifacts"), "/artifacts", "artifact", violations);
    requireUniqueNames(tree.get("components"), "/components", "component", violations);
  }

  private static void requireUniqueNames(
      JsonNode items, String pointer, String what, List<Violation> violations) {
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String name = items.get(i).get("name").textValue();
      Integer first = firstIndex.putIfAbsent(name, i);
      if (first != null) {
        violations.add(
            new Violation(
                pointer + "/" + i + "/name",
                "duplicate "
                    + what
                    + " name \""
                    + name
                    + "\" (first at "
                    + pointer
                    + "/"
                    + first
                    + ")"));
      }
    }
  }

  private static List<Violation> capped(List<Violation> violations) {
    if (violations.size() <= MAX_REPORTED_VIOLATIONS) {
      return violations;
    }
    List<Violation> shown = new ArrayList<>(violations.subList(0, MAX_REPORTED_VIOLATIONS));
    shown.add(
        new Violation(
            "", "and " + (violations.size() - MAX_REPORTED_VIOLATIONS) + " more problems"));
    return shown;
  }
}
