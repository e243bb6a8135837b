package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** One page of devices and the cursor of the next page ({@code --after}), if there is one. */
public record DevicePage(JsonNode json) {
  public DevicePage {
    Fields.object(json, "a device page");
  }

  public List<Device> devices() {
    return Fields.objects(json, "devices").stream().map(Device::new).toList();
  }

  public Optional<String> next() {
    return Fields.optionalText(json, "next");
  }
}
