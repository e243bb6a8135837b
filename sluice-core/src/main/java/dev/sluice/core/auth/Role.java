package dev.sluice.core.auth;

import java.util.Locale;

/** What an API token's holder may do. */
public enum Role {
  /** Everything, including creating products, certifiers and tokens. */
  ADMIN,
  /** Creates releases, uploads artifacts, runs checks. */
  RELEASE_MANAGER,
  /** Signs off or rejects releases, as one certifier identity. */
  CERTIFIER,
  /** Registers devices and runs rollouts. */
  OPERATOR,
  /** Reads everything, changes nothing. */
  AUDITOR,
  /**
   * A DDI gateway token (hawkBit's {@code GatewayToken}): polls for any device of one product and
   * registers unknown devices of it on first poll. Not valid on the management API.
   */
  DEVICE_GATEWAY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Role fromWire(String value) {
    for (Role r : values()) {
      if (r.wireName().equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "a role is one of admin, release-manager, certifier, operator, auditor, device-gateway");
  }
}
