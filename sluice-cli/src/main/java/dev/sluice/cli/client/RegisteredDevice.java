package dev.sluice.cli.client;

/**
 * A device just registered, with the target token it authenticates with on DDI. The server shows
 * the token only in the registration's answer; {@link #toString()} leaves it out.
 */
public record RegisteredDevice(String controllerId, String targetToken) {
  @Override
  public String toString() {
    return "RegisteredDevice[" + controllerId + "]";
  }
}
