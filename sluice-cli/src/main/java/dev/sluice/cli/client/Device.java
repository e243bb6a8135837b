package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.device.DeviceView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A device as the server shows it. Right after registration it may carry the generated target
 * token, shown only then; {@link #toString()} leaves the token out.
 */
public record Device(JsonNode json, DeviceView view) {
  public Device {
    Answers.required(view.controllerId(), "controller_id", "a device");
  }

  public Device(JsonNode json) {
    this(json, Answers.bind(json, DeviceView.class, "a device"));
  }

  public String controllerId() {
    return view.controllerId();
  }

  public String product() {
    return Answers.orEmpty(view.product());
  }

  public String status() {
    return Answers.orEmpty(view.status());
  }

  public List<String> tags() {
    return view.tags();
  }

  public Map<String, String> attributes() {
    return new TreeMap<>(view.attributes());
  }

  public Optional<String> installedVersion() {
    return view.installedVersionIfAny();
  }

  public Optional<String> installedRelease() {
    return view.installedReleaseIfAny();
  }

  public String registeredAt() {
    return Answers.orEmpty(view.registeredAt());
  }

  public Optional<String> lastSeen() {
    return view.lastSeenIfAny();
  }

  /** The generated target token, present only in the answer to a registration. */
  public Optional<String> token() {
    return view.tokenIfAny();
  }

  @Override
  public String toString() {
    return "Device[" + controllerId() + "]";
  }
}
