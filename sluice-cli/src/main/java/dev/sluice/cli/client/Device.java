package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A device as the server shows it. Right after registration it may carry the generated target
 * token, shown only then; {@link #toString()} leaves the token out.
 */
public record Device(JsonNode json) {
  public Device {
    Fields.object(json, "a device");
    Fields.text(json, "controller_id");
  }

  public String controllerId() {
    return Fields.text(json, "controller_id");
  }

  public String product() {
    return Fields.optionalText(json, "product").orElse("");
  }

  public String status() {
    return Fields.optionalText(json, "status").orElse("");
  }

  public List<String> tags() {
    return json.has("tags") ? Fields.texts(json, "tags") : List.of();
  }

  public Map<String, String> attributes() {
    Map<String, String> out = new TreeMap<>();
    json.path("attributes").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public Optional<String> installedVersion() {
    return Fields.optionalText(json, "installed_version");
  }

  public Optional<String> installedRelease() {
    return Fields.optionalText(json, "installed_release");
  }

  public String registeredAt() {
    return Fields.optionalText(json, "registered_at").orElse("");
  }

  public Optional<String> lastSeen() {
    return Fields.optionalText(json, "last_seen");
  }

  /** The generated target token, present only in the answer to a registration. */
  public Optional<String> token() {
    return Fields.optionalText(json, "token");
  }

  @Override
  public String toString() {
    return "Device[" + controllerId() + "]";
  }
}
