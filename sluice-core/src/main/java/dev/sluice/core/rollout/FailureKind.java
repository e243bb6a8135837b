package dev.sluice.core.rollout;

import java.util.Locale;

/** Why a device's attempt failed, for the retry policy. */
public enum FailureKind {
  /** The device reported failure. */
  REPORTED,
  /** The device went silent past the in-progress timeout. */
  TIMEOUT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FailureKind fromWire(String text) {
    for (FailureKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("a failure kind is reported or timeout; got '" + text + "'");
  }
}
