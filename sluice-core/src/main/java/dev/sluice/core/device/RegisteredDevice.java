package dev.sluice.core.device;

import java.util.Objects;
import java.util.Optional;

/**
 * A device just registered, with the target token Sluice generated for it (shown this once; empty
 * when the operator brought their own token).
 */
public record RegisteredDevice(Device device, Optional<String> generatedToken) {
  public RegisteredDevice {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(generatedToken, "generatedToken");
  }

  @Override
  public String toString() {
    return "RegisteredDevice[" + device.id() + "]";
  }
}
