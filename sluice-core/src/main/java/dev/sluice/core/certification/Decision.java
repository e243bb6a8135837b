package dev.sluice.core.certification;

import java.util.Locale;

/** A certifier's verdict on a release statement. */
public enum Decision {
  APPROVE,
  REJECT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Decision fromWire(String value) {
    for (Decision d : values()) {
      if (d.wireName().equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException("a decision is 'approve' or 'reject'");
  }
}
