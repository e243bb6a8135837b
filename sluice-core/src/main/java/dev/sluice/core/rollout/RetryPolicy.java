package dev.sluice.core.rollout;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How often a device is offered the release again after a failed attempt.
 *
 * @param maxAttempts attempts in all (1: no retry)
 * @param retryOn which failures are retried
 */
public record RetryPolicy(int maxAttempts, Set<FailureKind> retryOn) {
  public static final int MAX_ATTEMPTS = 10;
  public static final RetryPolicy NONE = new RetryPolicy(1, Set.of());

  public RetryPolicy {
    Objects.requireNonNull(retryOn, "retryOn");
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
      throw new IllegalArgumentException("attempts are 1 to " + MAX_ATTEMPTS);
    }
    retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
  }

  /** Retries every kind of failure, up to {@code maxAttempts} attempts in all. */
  public static RetryPolicy upTo(int maxAttempts) {
    return new RetryPolicy(maxAttempts, EnumSet.allOf(FailureKind.class));
  }

  /** Whether a device whose attempt number {@code attempt} failed this way gets another one. */
  public boolean retries(FailureKind kind, int attempt) {
    return retryOn.contains(kind) && attempt < maxAttempts;
  }
}
