package dev.sluice.cli.fleet;

import dev.sluice.core.device.ControllerId;
import java.util.Objects;

/**
 * One simulated device: its DDI controller id and the target token it authenticates with.
 *
 * @param index the device's position in the fleet (0-based); seeds its behaviour
 * @param controllerId the DDI controller id
 * @param targetToken the secret target token ({@code Authorization: TargetToken ...})
 */
public record SimulatedDevice(int index, ControllerId controllerId, String targetToken) {
  public SimulatedDevice {
    Objects.requireNonNull(controllerId, "controllerId");
    Objects.requireNonNull(targetToken, "targetToken");
    if (index < 0) {
      throw new IllegalArgumentException("a device index is 0 or more");
    }
    if (targetToken.isBlank() || targetToken.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(
          "the target token of " + controllerId + " is empty or not printable ASCII");
    }
  }

  @Override
  public String toString() {
    return "SimulatedDevice[" + index + ", " + controllerId + "]";
  }
}
