package dev.sluice.core.testing;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds release manifests in code: valid by default (they pass every default standard as a first
 * release), with knobs to change or break any part.
 */
public final class ManifestFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ManifestFixtures() {}

  /** A valid manifest builder: product acme-phone 14.2.0, two artifacts, three components. */
  public static Builder manifest() {
    return new Builder();
  }

  /** An artifact whose content is derived from its name. */
  public static Artifact artifact(String name) {
    return artifact(name, ("content of " + name).getBytes(StandardCharsets.UTF_8));
  }

  public static Artifact artifact(String name, byte[] content) {
    return new Artifact(new ArtifactName(name), Sha256.of(content), content.length);
  }

  /** A capability as the manifest writes it. */
  public record Capability(String component, String kind, String value, String justification) {
    ObjectNode toJson(boolean withJustification) {
      ObjectNode c = NODES.objectNode();
      c.put("component", component);
      c.put("kind", kind);
      c.put("value", value);
      if (withJustification) {
        c.put("justification", justification);
      }
      return c;
    }
  }

  /** A component as the manifest writes it; {@code null} version or license is left out. */
  public record Component(String name, String version, String license, List<String> endpoints) {}

  /** Collects the parts of a manifest, then writes it out; {@link #json()} can be called often. */
  public static final class Builder {
    private String product = "acme-phone";
    private String version = "14.2.0";
    private String securityPatchLevel = "2026-01-05";
    private String summary = "Monthly security update.";
    private final List<Component> components = new ArrayList<>();
    private final List<Capability> capabilities = new ArrayList<>();
    private final List<Capability> added = new ArrayList<>();
    private final List<Capability> removed = new ArrayList<>();
    private List<Artifact> artifacts = List.of(artifact("os.img"), artifact("boot.img"));
    private boolean sbom = true;
    private boolean provenance = true;
    private final List<Consumer<ObjectNode>> edits = new ArrayList<>();

    private Builder() {
      component("linux", "6.6.58", "GPL-2.0-only");
      component("updater", "2.1.0", "Apache-2.0", "https://updates.example.com/");
      capability("updater", "network_endpoint", "https://updates.example.com/", "fetches updates");
      capability("updater", "permission", "reboot", "restarts into the updated slot");
    }

    public Builder product(String product) {
      this.product = product;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    public Builder securityPatchLevel(String date) {
      this.securityPatchLevel = date;
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    /** Adds a component; endpoints go to its {@code network_endpoints} (left out when none). */
    public Builder component(String name, String version, String license, String... endpoints) {
      components.add(new Component(name, version, license, List.of(endpoints)));
      return this;
    }

    public Builder withoutComponents() {
      components.clear();
      capabilities.clear();
      added.clear();
      return this;
    }

    /** Grants a capability and declares it in {@code changes.capabilities_added}. */
    public Builder capability(String component, String kind, String value, String justification) {
      Capability c = new Capability(component, kind, value, justification);
      capabilities.add(c);
      added.add(c);
      return this;
    }

    /** Grants a capability without declaring it as added. */
    public Builder undeclaredCapability(String component, String kind, String value) {
      capabilities.add(new Capability(component, kind, value, "granted quietly"));
      return this;
    }

    /** Drops every capability from {@code changes.capabilities_added}, keeping the grants. */
    public Builder withoutDeclaredAdditions() {
      added.clear();
      return this;
    }

    /** Lists a capability in {@code changes.capabilities_removed}. */
    public Builder declareRemoved(String component, String kind, String value) {
      removed.add(new Capability(component, kind, value, ""));
      return this;
    }

    /** Declares these artifacts (with digests and sizes); {@link #uploaded()} returns them. */
    public Builder artifacts(Artifact... artifacts) {
      this.artifacts = List.of(artifacts);
      return this;
    }

    public Builder withoutSbom() {
      this.sbom = false;
      return this;
    }

    public Builder withoutProvenance() {
      this.provenance = false;
      return this;
    }

    /** Sets the value at an RFC 6901 pointer (a trailing {@code -} appends to an array). */
    public Builder set(String pointer, Object value) {
      JsonNode node = value instanceof JsonNode n ? n : JSON.valueToTree(value);
      edits.add(root -> put(root, pointer, node));
      return this;
    }

    /** Removes the member or element at an RFC 6901 pointer. */
    public Builder remove(String pointer) {
      edits.add(root -> delete(root, pointer));
      return this;
    }

    /** Any other change to the written manifest. */
    public Builder edit(Consumer<ObjectNode> edit) {
      edits.add(edit);
      return this;
    }

    /** The artifacts the manifest declares, as they would be uploaded. */
    public List<Artifact> uploaded() {
      return artifacts;
    }

    public ObjectNode json() {
      ObjectNode m = NODES.objectNode();
      m.put("schema", ReleaseManifest.FORMAT);
      m.put("product", product);
      m.put("version", version);
      m.put("security_patch_level", securityPatchLevel);
      ArrayNode cs = m.putArray("components");
      for (Component c : components) {
        ObjectNode o = cs.addObject().put("name", c.name());
        if (c.version() != null) {
          o.put("version", c.version());
        }
        if (c.license() != null) {
          o.put("license", c.license());
        }
        if (!c.endpoints().isEmpty()) {
          ArrayNode e = o.putArray("network_endpoints");
          c.endpoints().forEach(e::add);
        }
      }
      ArrayNode caps = m.putArray("capabilities");
      capabilities.forEach(c -> caps.add(c.toJson(true)));
      ObjectNode changes = m.putObject("changes");
      changes.put("summary", summary);
      ArrayNode add = changes.putArray("capabilities_added");
      added.forEach(c -> add.add(c.toJson(true)));
      ArrayNode rem = changes.putArray("capabilities_removed");
      removed.forEach(c -> rem.add(c.toJson(false)));
      ArrayNode as = m.putArray("artifacts");
      for (int i = 0; i < artifacts.size(); i++) {
        Artifact a = artifacts.get(i);
        as.addObject()
            .put("name", a.name().value())
            .put("sha256", a.sha256().hex())
            .put("size", a.size())
            .put("type", i == 0 ? "os-image" : "bootloader");
      }
      if (sbom) {
        ObjectNode bom = m.putObject("sbom");
        bom.put("bomFormat", "CycloneDX").put("specVersion", "1.6").put("version", 1);
        ArrayNode list = bom.putArray("components");
        for (Component c : components) {
          ObjectNode o = list.addObject().put("type", "library").put("name", c.name());
          if (c.version() != null) {
            o.put("version", c.version());
          }
        }
      }
      if (provenance) {
        ObjectNode p = m.putObject("provenance");
        p.put("_type", "https://in-toto.io/Statement/v1");
        ArrayNode subjects = p.putArray("subject");
        for (Artifact a : artifacts) {
          subjects
              .addObject()
              .put("name", a.name().value())
              .putObject("digest")
              .put("sha256", a.sha256().hex());
        }
        p.put("predicateType", "https://slsa.dev/provenance/v1");
        p.putObject("predicate").putObject("buildDefinition").put("buildType", "https://x/v1");
      }
      edits.forEach(e -> e.accept(m));
      return m;
    }

    public byte[] bytes() {
      try {
        return JSON.writeValueAsBytes(json());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    public ReleaseManifest build() {
      return ReleaseManifest.parse(bytes());
    }
  }

  private static void put(ObjectNode root, String pointer, JsonNode value) {
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = root.at(p.head());
    String last = p.last().getMatchingProperty();
    if (parent instanceof ArrayNode array) {
      if ("-".equals(last)) {
        array.add(value);
      } else {
        array.set(Integer.parseInt(last), value);
      }
    } else if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else {
      throw new IllegalArgumentException("no container at " + p.head());
    }
  }

  private static void delete(ObjectNode root, String pointer) {
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = root.at(p.head());
    String last = p.last().getMatchingProperty();
    if (parent instanceof ArrayNode array) {
      array.remove(Integer.parseInt(last));
    } else if (parent instanceof ObjectNode object) {
      object.remove(last);
    } else {
      throw new IllegalArgumentException("no container at " + p.head());
    }
  }
}
