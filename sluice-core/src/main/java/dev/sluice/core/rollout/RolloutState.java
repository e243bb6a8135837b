package dev.sluice.core.rollout;

import java.util.Locale;

/**
 * Where a rollout is in its life.
 *
 * <pre>
 * CREATED ──start──► SCHEDULED ──(start time)──► RUNNING ⇄ PAUSED
 *    └──────start (no start time)──────────────►   │ ▲
 *                                                  ▼ │ approve / webhook 2xx
 *                                           WAITING_APPROVAL
 * RUNNING, PAUSED, WAITING_APPROVAL ──► HALTED (threshold or test) │ FINISHED
 * any but HALTED, FINISHED ──cancel──► CANCELED
 * </pre>
 */
public enum RolloutState {
  CREATED,
  SCHEDULED,
  RUNNING,
  PAUSED,
  WAITING_APPROVAL,
  HALTED,
  FINISHED,
  CANCELED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static RolloutState fromWire(String text) {
    for (RolloutState state : values()) {
      if (state.wireName().equals(text)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "a rollout state is one of created, scheduled, running, paused, waiting-approval, halted,"
            + " finished, canceled; got '"
            + text
            + "'");
  }

  /** Whether the evaluator still has work for a rollout in this state. */
  public boolean isActive() {
    return switch (this) {
      case SCHEDULED, RUNNING, PAUSED, WAITING_APPROVAL -> true;
      case CREATED, HALTED, FINISHED, CANCELED -> false;
    };
  }

  /** Whether the rollout is over for good. */
  public boolean isTerminal() {
    return this == HALTED || this == FINISHED || this == CANCELED;
  }
}
