package dev.sluice.core.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Example release manifests for demos and walkthroughs: a small but complete OS release (kernel,
 * update client, system UI) with an SBOM and provenance that match the given artifacts. The
 * {@linkplain #valid valid} one passes the default standards as a first release and as a successor
 * of an earlier example with a lower version.
 */
public final class ExampleManifests {
  /** The security patch level used when none is given. */
  public static final LocalDate DEFAULT_PATCH_LEVEL = LocalDate.of(2026, 1, 5);

  /** The endpoint the {@code breaking} examples contact without declaring it. */
  public static final String UNDECLARED_ENDPOINT = "telemetry.example.net:443";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ExampleManifests() {}

  /**
   * A manifest declaring these artifacts with their digests and sizes, and an in-toto provenance
   * statement for them. Passes every default standard when they are uploaded.
   */
  public static ObjectNode valid(String product, Version version, List<Artifact> artifacts) {
    return valid(product, version, DEFAULT_PATCH_LEVEL, artifacts);
  }

  public static ObjectNode valid(
      String product, Version version, LocalDate securityPatchLevel, List<Artifact> artifacts) {
    List<ObjectNode> declared = new ArrayList<>();
    for (Artifact a : artifacts) {
      declared.add(
          NODES
              .objectNode()
              .put("name", a.name().value())
              .put("sha256", a.sha256().hex())
              .put("size", a.size()));
    }
    return build(product, version, securityPatchLevel, declared, provenance(artifacts));
  }

  /**
   * Like {@link #valid(String, Version, List)}, but the update client also contacts {@link
   * #UNDECLARED_ENDPOINT} without declaring it as a capability, so the {@code
   * network-endpoints-declared} standard blocks the release.
   */
  public static ObjectNode breaking(String product, Version version, List<Artifact> artifacts) {
    return withUndeclaredEndpoint(valid(product, version, artifacts));
  }

  private static ObjectNode withUndeclaredEndpoint(ObjectNode manifest) {
    ((ArrayNode) manifest.get("components").get(1).get("network_endpoints"))
        .add(UNDECLARED_ENDPOINT);
    return manifest;
  }

  private static ObjectNode build(
      String product,
      Version version,
      LocalDate securityPatchLevel,
      List<ObjectNode> declaredArtifacts,
      ObjectNode provenance) {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(securityPatchLevel, "securityPatchLevel");
    if (declaredArtifacts.isEmpty()) {
      throw new IllegalArgumentException("a release has at least one artifact");
    }
    ObjectNode m = NODES.objectNode();
    m.put("schema", ReleaseManifest.FORMAT);
    m.put("product", product);
    m.put("version", version.value());
    m.put("security_patch_level", securityPatchLevel.toString());
    ArrayNode components = m.putArray("components");
    components.add(component("linux", "6.6.58", "GPL-2.0-only"));
    ObjectNode agent = component("sluice-agent", "0.1.0", "Apache-2.0");
    agent.putArray("network_endpoints").add("https://updates.example.com/");
    components.add(agent);
    components.add(component("system-ui", "1.0.0", "Apache-2.0"));
    ArrayNode capabilities = m.putArray("capabilities");
    capabilities.add(
        capability(
            "sluice-agent",
            "network_endpoint",
            "https://updates.example.com/",
            "fetches signed update metadata and artifacts"));
    capabilities.add(
        capability(
            "sluice-agent",
            "permission",
            "reboot",
            "restarts into the new slot after installing an update"));
    capabilities.add(
        capability(
            "system-ui", "system_service", "statusbar", "shows update progress to the user"));
    ObjectNode changes = m.putObject("changes");
    changes.put("summary", "Example release " + version + " of " + product + ".");
    // Listing every capability as added is right for a first release and harmless later.
    changes.set("capabilities_added", capabilities.deepCopy());
    changes.putArray("capabilities_removed");
    changes.putArray("fixes").add("CVE-2025-0001");
    ArrayNode artifacts = m.putArray("artifacts");
    for (int i = 0; i < declaredArtifacts.size(); i++) {
      artifacts.add(declaredArtifacts.get(i).put("type", i == 0 ? "os-image" : "other"));
    }
    m.set("sbom", sbom(components));
    if (provenance != null) {
      m.set("provenance", provenance);
    }
    return m;
  }

  private static ObjectNode component(String name, String version, String license) {
    ObjectNode c = NODES.objectNode();
    c.put("name", name);
    c.put("version", version);
    c.put("license", license);
    return c;
  }

  private static ObjectNode capability(
      String component, String kind, String value, String justification) {
    ObjectNode c = NODES.objectNode();
    c.put("component", component);
    c.put("kind", kind);
    c.put("value", value);
    c.put("justification", justification);
    return c;
  }

  private static ObjectNode sbom(ArrayNode components) {
    ObjectNode bom = NODES.objectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.6");
    bom.put("version", 1);
    ArrayNode list = bom.putArray("components");
    for (var c : components) {
      ObjectNode entry = list.addObject();
      entry.put("type", "library");
      entry.put("name", c.get("name").textValue());
      entry.put("version", c.get("version").textValue());
    }
    return bom;
  }

  private static ObjectNode provenance(List<Artifact> artifacts) {
    ObjectNode statement = NODES.objectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    ArrayNode subjects = statement.putArray("subject");
    for (Artifact a : artifacts) {
      ObjectNode s = subjects.addObject();
      s.put("name", a.name().value());
      s.putObject("digest").put("sha256", a.sha256().hex());
    }
    statement.put("predicateType", "https://slsa.dev/provenance/v1");
    ObjectNode predicate = statement.putObject("predicate");
    predicate
        .putObject("buildDefinition")
        .put("buildType", "https://example.com/os-build/v1")
        .putObject("externalParameters");
    predicate.putObject("runDetails").putObject("builder").put("id", "https://ci.example.com/");
    return statement;
  }
}
