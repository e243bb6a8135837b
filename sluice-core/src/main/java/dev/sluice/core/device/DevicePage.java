package dev.sluice.core.device;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of devices in controller-id order, and the cursor of the next page if there is one. */
public record DevicePage(List<Device> devices, Optional<ControllerId> next) {
  public DevicePage {
    devices = List.copyOf(devices);
    Objects.requireNonNull(next, "next");
  }
}
