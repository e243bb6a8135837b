package dev.sluice.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
  private static final LocalDateTime SUNDAY_2AM = LocalDateTime.parse("2026-12-06T02:00");
  private static final LocalDateTime MONDAY_2AM = LocalDateTime.parse("2026-12-07T02:00");

  @Test
  void quartzWeekdayOneIsSundayAsInQuartzAndHawkbit() {
    CronSchedule quartz = CronSchedule.parse("0 0 2 ? * 1");
    assertThat(SUNDAY_2AM.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(quartz.matches(SUNDAY_2AM)).isTrue();
    assertThat(quartz.matches(MONDAY_2AM)).isFalse();
  }

  @Test
  void unixWeekdayOneIsMondayAndZeroAndSevenAreSunday() {
    assertThat(CronSchedule.parse("0 2 * * 1").matches(MONDAY_2AM)).isTrue();
    assertThat(CronSchedule.parse("0 2 * * 1").matches(SUNDAY_2AM)).isFalse();
    assertThat(CronSchedule.parse("0 2 * * 0").matches(SUNDAY_2AM)).isTrue();
    assertThat(CronSchedule.parse("0 2 * * 7").matches(SUNDAY_2AM)).isTrue();
  }

  @Test
  void quartzNamesAndWildcardDaysWork() {
    assertThat(CronSchedule.parse("0 0 2 ? * MON").matches(MONDAY_2AM)).isTrue();
    assertThat(CronSchedule.parse("0 0 2 * * MON").matches(MONDAY_2AM)).isTrue();
    assertThat(CronSchedule.parse("0 0 2 * * ? *").matches(SUNDAY_2AM)).isTrue();
  }

  @Test
  void quartzWithBothDayFieldsRestrictedIsRefused() {
    assertThatThrownBy(() -> CronSchedule.parse("0 0 2 1 * MON"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("?");
  }

  @Test
  void nextAndLastFiringsAreInclusiveOfTheMinute() {
    CronSchedule daily = CronSchedule.parse("30 2 * * *");
    LocalDateTime at = LocalDateTime.parse("2026-12-07T02:30");
    assertThat(daily.nextAtOrAfter(at)).contains(at);
    assertThat(daily.nextAtOrAfter(at.plusSeconds(1))).contains(at.plusDays(1));
    assertThat(daily.lastAtOrBefore(at, at.minusDays(2))).contains(at);
    assertThat(daily.lastAtOrBefore(at.minusMinutes(1), at.minusDays(2))).contains(at.minusDays(1));
    assertThat(daily.lastAtOrBefore(at.minusMinutes(1), at.minusHours(1))).isEmpty();
  }
}
