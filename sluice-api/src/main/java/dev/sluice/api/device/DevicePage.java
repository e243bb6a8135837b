package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of devices, in controller id order.
 *
 * @param next the cursor for the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DevicePage(
    List<DeviceView> devices, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public DevicePage {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
