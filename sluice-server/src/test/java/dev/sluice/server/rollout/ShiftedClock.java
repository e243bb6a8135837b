package dev.sluice.server.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real time (in milliseconds, as the database keeps it) plus an offset the test moves forward: a
 * time-out or a start time is reached by shifting, never by sleeping, while the transparency log's
 * batching still sees time pass.
 */
final class ShiftedClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  void shift(Duration by) {
    offset = offset.plus(by);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(System.currentTimeMillis()).plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("always UTC");
  }
}
