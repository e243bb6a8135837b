package dev.sluice.core.action;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a device may install: windows that open on a cron-like schedule (evaluated in {@code zone})
 * and stay open for {@code duration}. Outside a window a DDI device is told {@code
 * maintenanceWindow: unavailable} and {@code update: skip} (it may still download).
 *
 * @param schedule the cron expression of window openings (syntax in {@link CronSchedule})
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
    CronSchedule.parse(schedule);
  }

  /** The parsed schedule. */
  public CronSchedule cron() {
    return CronSchedule.parse(schedule);
  }

  /** Whether a window is open at {@code at}: one opened at or before it, less than duration ago. */
  public boolean isOpen(Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    LocalDateTime earliest = LocalDateTime.ofInstant(at.minus(duration), zone);
    return cron()
        .lastAtOrBefore(local, earliest)
        .map(opened -> opened.atZone(zone).toInstant())
        .filter(opened -> opened.plus(duration).isAfter(at))
        .isPresent();
  }

  /** The next time a window opens strictly after {@code at} (none if not within five years). */
  public Optional<Instant> nextOpening(Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone).plusNanos(1);
    return cron().nextAtOrAfter(local).map(t -> t.atZone(zone).toInstant());
  }
}
