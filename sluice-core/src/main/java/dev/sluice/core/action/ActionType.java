package dev.sluice.core.action;

/** How a device should treat an action, as hawkBit defines the types. */
public enum ActionType {
  /** Download and install at once. */
  FORCED("forced"),
  /** Download and install when the device (or its user) chooses. */
  SOFT("soft"),
  /** Soft until a deadline, then forced. */
  TIMEFORCED("timeforced"),
  /** Download only; the action succeeds once the device reports it downloaded. */
  DOWNLOAD_ONLY("downloadonly");

  private final String wireName;

  ActionType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the management API and on the command line. */
  public String wireName() {
    return wireName;
  }

  public static ActionType fromWireName(String name) {
    for (ActionType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "an action type is one of forced, soft, timeforced, downloadonly; got '" + name + "'");
  }
}
