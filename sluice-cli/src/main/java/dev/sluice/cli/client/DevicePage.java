package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** One page of devices and the cursor of the next page ({@code --after}), if there is one. */
public record DevicePage(JsonNode json, dev.sluice.api.device.DevicePage view) {
  public DevicePage(JsonNode json) {
    this(json, Answers.bind(json, dev.sluice.api.device.DevicePage.class, "a device page"));
  }

  public List<Device> devices() {
    List<Device> out = new java.util.ArrayList<>();
    for (int i = 0; i < view.devices().size(); i++) {
      out.add(new Device(json.path("devices").get(i), view.devices().get(i)));
    }
    return List.copyOf(out);
  }

  public Optional<String> next() {
    return view.nextIfAny();
  }
}
