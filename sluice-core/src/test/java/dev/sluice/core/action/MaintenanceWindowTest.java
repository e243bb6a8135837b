package dev.sluice.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aNightlyWindowIsOpenForItsDurationAfterEachOpening() {
    MaintenanceWindow w = new MaintenanceWindow("0 2 * * *", Duration.ofHours(2), BERLIN);
    // 2026-03-10 02:00 Berlin = 01:00 UTC
    assertThat(w.isOpen(Instant.parse("2026-03-10T00:59:59Z"))).isFalse();
    assertThat(w.isOpen(Instant.parse("2026-03-10T01:00:00Z"))).isTrue();
    assertThat(w.isOpen(Instant.parse("2026-03-10T02:59:59Z"))).isTrue();
    assertThat(w.isOpen(Instant.parse("2026-03-10T03:00:00Z"))).isFalse();
    assertThat(w.nextOpening(Instant.parse("2026-03-10T01:30:00Z")))
        .contains(Instant.parse("2026-03-11T01:00:00Z"));
  }

  @Test
  void hawkBitStyleSixFieldExpressionsWithWeekdayNamesAreAccepted() {
    MaintenanceWindow w =
        new MaintenanceWindow("0 30 22 ? * SAT,SUN", Duration.ofMinutes(90), ZoneId.of("UTC"));
    // 2026-03-14 is a Saturday
    assertThat(w.isOpen(Instant.parse("2026-03-14T23:00:00Z"))).isTrue();
    assertThat(w.isOpen(Instant.parse("2026-03-13T23:00:00Z"))).isFalse();
    assertThat(w.isOpen(Instant.parse("2026-03-15T00:01:00Z"))).isFalse();
    assertThat(w.nextOpening(Instant.parse("2026-03-12T00:00:00Z")))
        .contains(Instant.parse("2026-03-14T22:30:00Z"));
  }

  @Test
  void aWindowSpanningMidnightIsOpenOnBothSides() {
    MaintenanceWindow w =
        new MaintenanceWindow("0 23 1 JAN-MAR *", Duration.ofHours(3), ZoneId.of("UTC"));
    assertThat(w.isOpen(Instant.parse("2026-02-02T01:59:00Z"))).isTrue();
    assertThat(w.isOpen(Instant.parse("2026-04-02T01:00:00Z"))).isFalse();
    assertThat(w.nextOpening(Instant.parse("2026-03-05T00:00:00Z")))
        .contains(Instant.parse("2027-01-01T23:00:00Z"));
  }

  @Test
  void stepsAndRangesSelectTheRightMinutes() {
    CronSchedule every15 = CronSchedule.parse("*/15 8-9 * * MON-FRI");
    assertThat(every15.matches(java.time.LocalDateTime.parse("2026-03-10T08:45"))).isTrue();
    assertThat(every15.matches(java.time.LocalDateTime.parse("2026-03-10T08:46"))).isFalse();
    assertThat(every15.matches(java.time.LocalDateTime.parse("2026-03-14T08:45"))).isFalse();
  }

  @Test
  void malformedSchedulesAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> new MaintenanceWindow("61 * * * *", Duration.ofHours(1), BERLIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minute");
    assertThatThrownBy(() -> new MaintenanceWindow("0 0 *", Duration.ofHours(1), BERLIN))
        .hasMessageContaining("5 fields");
    assertThatThrownBy(() -> new MaintenanceWindow("30 0 2 * * ?", Duration.ofHours(1), BERLIN))
        .hasMessageContaining("seconds");
    assertThatThrownBy(() -> new MaintenanceWindow("0 2 * FOO *", Duration.ofHours(1), BERLIN))
        .hasMessageContaining("month");
  }

  @Test
  void anImpossibleScheduleNeverOpens() {
    MaintenanceWindow w = new MaintenanceWindow("0 0 31 2 *", Duration.ofHours(1), BERLIN);
    assertThat(w.nextOpening(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    assertThat(w.isOpen(Instant.parse("2026-02-28T23:30:00Z"))).isFalse();
  }
}
