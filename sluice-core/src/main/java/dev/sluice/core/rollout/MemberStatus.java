package dev.sluice.core.rollout;

import java.util.Locale;

/** Where one device of a rollout stands. */
public enum MemberStatus {
  /** Selected, not offered the release yet. */
  PENDING,
  /** Has an open action. */
  OPEN,
  /** Its attempt failed and the retry policy grants another. */
  RETRY,
  /** The rollout stopped and asked the device to cancel its action; awaiting the answer. */
  CANCELING,
  SUCCEEDED,
  FAILED,
  CANCELED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the device still counts as open in its stage. */
  public boolean isOpen() {
    return this == OPEN || this == RETRY || this == CANCELING;
  }

  public static MemberStatus fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
