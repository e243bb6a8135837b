package dev.sluice.core.rollout;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a rollout stopped for good, with the numbers that made it stop.
 *
 * @param kind what stopped it
 * @param message a sentence for people, with the numbers
 * @param stage the stage it stopped in (-1 before the first)
 * @param counters that stage's counters at the time
 * @param logLikelihoodRatio the sequential test's Λ at the time, if the rollout runs the test
 * @param at when
 * @param by who (an operator, or "system")
 */
public record Halt(
    Kind kind,
    String message,
    int stage,
    StageCounters counters,
    Optional<Double> logLikelihoodRatio,
    Instant at,
    String by) {

  /** What stopped a rollout. */
  public enum Kind {
    /** The stage's failures reached its error threshold. */
    ERROR_THRESHOLD,
    /** The sequential test found the failure rate above the product's baseline. */
    SEQUENTIAL_TEST,
    /** Every device of the stage finished, and too few succeeded to pass it. */
    SUCCESS_UNREACHABLE,
    /** The release could not be assigned (e.g. it was revoked). */
    ASSIGNMENT_REFUSED,
    /** An operator cancelled the rollout. */
    CANCELED,
    /** The rollout's stored spec cannot be carried out (e.g. a filter this version refuses). */
    INVALID_SPEC;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind fromWire(String text) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown halt kind '" + text + "'");
    }
  }

  public Halt {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(logLikelihoodRatio, "logLikelihoodRatio");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(by, "by");
  }
}
