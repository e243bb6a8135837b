package dev.sluice.cli.fleet;

import dev.sluice.core.device.ControllerId;
import java.util.Objects;

/**
 * One simulated device: its DDI controller id and the token it authenticates with, its own target
 * token or a gateway token of its product.
 *
 * @param index the device's position in the fleet (0-based); seeds its behaviour
 * @param controllerId the DDI controller id
 * @param token the secret token
 * @param gateway whether {@code token} is a gateway token ({@code Authorization: GatewayToken ...})
 *     rather than the device's target token ({@code Authorization: TargetToken ...})
 */
public record SimulatedDevice(int index, ControllerId controllerId, String token, boolean gateway) {
  public SimulatedDevice {
    Objects.requireNonNull(controllerId, "controllerId");
    Objects.requireNonNull(token, "token");
    if (index < 0) {
      throw new IllegalArgumentException("a device index is 0 or more");
    }
    if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(
          "the token of " + controllerId + " is empty or not printable ASCII");
    }
  }

  /** A device with its own target token. */
  public static SimulatedDevice withTargetToken(int index, ControllerId id, String token) {
    return new SimulatedDevice(index, id, token, false);
  }

  /** A device that a gateway token of its product speaks for. */
  public static SimulatedDevice viaGateway(int index, ControllerId id, String gatewayToken) {
    return new SimulatedDevice(index, id, gatewayToken, true);
  }

  /** The value of the {@code Authorization} header on DDI requests. */
  public String authorization() {
    return (gateway ? "GatewayToken " : "TargetToken ") + token;
  }

  @Override
  public String toString() {
    return "SimulatedDevice[" + index + ", " + controllerId + "]";
  }
}
