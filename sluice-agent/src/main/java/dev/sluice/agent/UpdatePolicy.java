package dev.sluice.agent;

import java.util.Objects;

/**
 * When the owner lets an update be installed: {@code auto} (as soon as it is verified), {@code ask}
 * (after {@code sluice agent approve VERSION}) or {@code defer:N} (N days after the agent first saw
 * the offer; security updates are not deferred when the product says they are not deferrable).
 */
public record UpdatePolicy(Kind kind, int deferDays) {
  /** The three policies. */
  public enum Kind {
    AUTO,
    ASK,
    DEFER
  }

  public UpdatePolicy {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.DEFER ? deferDays < 1 || deferDays > 365 : deferDays != 0) {
      throw new IllegalArgumentException("defer takes 1 to 365 days, and only defer takes days");
    }
  }

  /**
   * Parses {@code auto}, {@code ask} or {@code defer:N}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static UpdatePolicy parse(String text) {
    if ("auto".equals(text)) {
      return new UpdatePolicy(Kind.AUTO, 0);
    }
    if ("ask".equals(text)) {
      return new UpdatePolicy(Kind.ASK, 0);
    }
    if (text != null && text.matches("defer:[1-9][0-9]{0,2}")) {
      int days = Integer.parseInt(text.substring("defer:".length()));
      if (days <= 365) {
        return new UpdatePolicy(Kind.DEFER, days);
      }
    }
    throw new IllegalArgumentException(
        "policy must be auto, ask or defer:N with N from 1 to 365 days, not '" + text + "'");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case ASK -> "ask";
      case DEFER -> "defer:" + deferDays;
    };
  }
}
