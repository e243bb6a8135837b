package dev.sluice.core.action;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When a device may install: windows that open on a cron-like schedule (evaluated in {@code zone})
 * and stay open for {@code duration}. Outside a window a DDI device is told {@code
 * maintenanceWindow: unavailable} and {@code update: skip} (it may still download).
 *
 * @param schedule the cron expression of window openings (syntax documented in docs/rollouts.md)
 * @param duration how long each window stays open
 * @param zone the time zone the schedule is read in
 */
public record MaintenanceWindow(String schedule, Duration duration, ZoneId zone) {
  public MaintenanceWindow {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(zone, "zone");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a maintenance window's duration must be positive");
    }
  }
}
