package dev.sluice.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.manifest.ReleaseManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a release adds and removes in capabilities (permissions, system services, network endpoints,
 * data collected) compared with the previous published release of its product, with the
 * justifications its manifest declares. Computed from the two manifests, not taken from the new
 * manifest's own {@code changes} section, so an undeclared change still shows.
 */
public record CapabilityDiff(
    Optional<String> previousVersion, List<Change> added, List<Change> removed) {

  public CapabilityDiff {
    Objects.requireNonNull(previousVersion, "previousVersion");
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  /** One capability of a component, and why (empty when the manifest gives no reason). */
  public record Change(String component, String kind, String value, String justification) {
    public Change {
      Objects.requireNonNull(component, "component");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(justification, "justification");
    }

    /** The kind in plain words, e.g. "network endpoint". */
    public String kindInWords() {
      return switch (kind) {
        case "permission" -> "permission";
        case "system_service" -> "system service";
        case "network_endpoint" -> "network endpoint";
        case "data_collected" -> "collected data";
        default -> kind.replace('_', ' ');
      };
    }

    String key() {
      return component + "\u0000" + kind + "\u0000" + value;
    }
  }

  public boolean empty() {
    return added.isEmpty() && removed.isEmpty();
  }

  public static CapabilityDiff between(
      Optional<ReleaseManifest> previous, Optional<String> previousVersion, ReleaseManifest now) {
    Map<String, Change> current = capabilities(now.json().path("capabilities"));
    Map<String, Change> before =
        previous.map(p -> capabilities(p.json().path("capabilities"))).orElse(Map.of());
    Map<String, String> removalReasons = new LinkedHashMap<>();
    capabilities(now.json().path("changes").path("capabilities_removed"))
        .forEach((k, c) -> removalReasons.put(k, c.justification()));
    List<Change> added = new ArrayList<>();
    current.forEach(
        (k, c) -> {
          if (!before.containsKey(k)) {
            added.add(c);
          }
        });
    List<Change> removed = new ArrayList<>();
    before.forEach(
        (k, c) -> {
          if (!current.containsKey(k)) {
            removed.add(
                new Change(c.component(), c.kind(), c.value(), removalReasons.getOrDefault(k, "")));
          }
        });
    return new CapabilityDiff(previousVersion, added, removed);
  }

  private static Map<String, Change> capabilities(JsonNode array) {
    Map<String, Change> out = new LinkedHashMap<>();
    if (!array.isArray()) {
      return out;
    }
    for (JsonNode c : array) {
      Change change =
          new Change(
              c.path("component").asText(""),
              c.path("kind").asText(""),
              c.path("value").asText(""),
              c.path("justification").asText(""));
      out.put(change.key(), change);
    }
    return out;
  }
}
