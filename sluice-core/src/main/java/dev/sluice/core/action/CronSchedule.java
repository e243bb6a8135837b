package dev.sluice.core.action;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression naming the minutes at which maintenance windows open. Five fields ({@code
 * minute hour day-of-month month day-of-week}), or the Quartz-style six or seven fields hawkBit
 * uses ({@code second minute hour day-of-month month day-of-week [year]}) where the second must be
 * {@code 0} and the year {@code *}. Each field takes {@code *}, {@code ?} (same as {@code *}),
 * numbers, ranges {@code a-b}, steps {@code a/n} (every n-th from a), {@code a-b/n} and the
 * wildcard with a step, and lists {@code a,b}; months also {@code JAN}-{@code DEC}, weekdays {@code
 * SUN}-{@code SAT} or 0-7 (0 and 7 are Sunday). As in classic cron, when both day fields are
 * restricted a day matching either one matches.
 */
public final class CronSchedule {
  private static final int SEARCH_DAYS = 366 * 5;
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronSchedule(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, null, "minute");
    this.hours = field(f[1], 0, 23, null, "hour");
    this.daysOfMonth = field(f[2], 1, 31, null, "day of month");
    this.months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.domRestricted = !isWildcard(f[2]);
    this.dowRestricted = !isWildcard(f[4]);
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException with a message naming the bad field
   */
  public static CronSchedule parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.strip().split("\\s+");
    String[] five;
    if (parts.length == 5) {
      five = parts;
    } else if (parts.length == 6 || parts.length == 7) {
      if (!parts[0].equals("0")) {
        throw new IllegalArgumentException(
            "a maintenance schedule opens on whole minutes: its seconds field must be 0");
      }
      if (parts.length == 7 && !isWildcard(parts[6])) {
        throw new IllegalArgumentException("a maintenance schedule's year field must be *");
      }
      five = new String[] {parts[1], parts[2], parts[3], parts[4], parts[5]};
    } else {
      throw new IllegalArgumentException(
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6-7"
              + " with a leading seconds field; got '"
              + text
              + "'");
    }
    return new CronSchedule(text.strip(), five);
  }

  public String text() {
    return text;
  }

  /** Whether the schedule fires at this minute. */
  public boolean matches(LocalDateTime minute) {
    return months.get(minute.getMonthValue())
        && dayMatches(minute.toLocalDate())
        && hours.get(minute.getHour())
        && minutes.get(minute.getMinute());
  }

  /** The first firing at or after {@code from} (rounded up to a whole minute), if any soon. */
  public Optional<LocalDateTime> nextAtOrAfter(LocalDateTime from) {
    LocalDateTime start = from.withSecond(0).withNano(0);
    if (start.isBefore(from)) {
      start = start.plusMinutes(1);
    }
    LocalDate day = start.toLocalDate();
    LocalDate last = day.plusDays(SEARCH_DAYS);
    while (!day.isAfter(last)) {
      if (months.get(day.getMonthValue()) && dayMatches(day)) {
        LocalTime t = day.equals(start.toLocalDate()) ? start.toLocalTime() : LocalTime.MIDNIGHT;
        Optional<LocalTime> time = firstTimeAtOrAfter(t);
        if (time.isPresent()) {
          return Optional.of(LocalDateTime.of(day, time.get()));
        }
      }
      day = day.plusDays(1);
    }
    return Optional.empty();
  }

  /** The last firing at or before {@code at} but not before {@code notBefore}, if any. */
  public Optional<LocalDateTime> lastAtOrBefore(LocalDateTime at, LocalDateTime notBefore) {
    LocalDateTime end = at.withSecond(0).withNano(0);
    LocalDate day = end.toLocalDate();
    while (!day.isBefore(notBefore.toLocalDate())) {
      if (months.get(day.getMonthValue()) && dayMatches(day)) {
        LocalTime t = day.equals(end.toLocalDate()) ? end.toLocalTime() : LocalTime.of(23, 59);
        Optional<LocalTime> time = lastTimeAtOrBefore(t);
        if (time.isPresent()) {
          LocalDateTime found = LocalDateTime.of(day, time.get());
          return found.isBefore(notBefore) ? Optional.empty() : Optional.of(found);
        }
      }
      day = day.minusDays(1);
    }
    return Optional.empty();
  }

  private Optional<LocalTime> firstTimeAtOrAfter(LocalTime t) {
    for (int h = hours.nextSetBit(t.getHour()); h >= 0 && h < 24; h = hours.nextSetBit(h + 1)) {
      int m = minutes.nextSetBit(h == t.getHour() ? t.getMinute() : 0);
      if (m >= 0 && m < 60) {
        return Optional.of(LocalTime.of(h, m));
      }
    }
    return Optional.empty();
  }

  private Optional<LocalTime> lastTimeAtOrBefore(LocalTime t) {
    for (int h = hours.previousSetBit(t.getHour()); h >= 0; h = hours.previousSetBit(h - 1)) {
      int m = minutes.previousSetBit(h == t.getHour() ? t.getMinute() : 59);
      if (m >= 0) {
        return Optional.of(LocalTime.of(h, m));
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static boolean isWildcard(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static BitSet field(String spec, int min, int max, String[] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      try {
        addPart(bits, part.toUpperCase(Locale.ROOT), min, max, names);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad " + what + " field '" + spec + "' in the cron expression: " + e.getMessage(), e);
      }
    }
    return bits;
  }

  private static void addPart(BitSet bits, String part, int min, int max, String[] names) {
    int step = 1;
    String range = part;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      step = number(part.substring(slash + 1), 1, max, null);
      range = part.substring(0, slash);
    }
    int from;
    int to;
    if (range.equals("*") || range.equals("?")) {
      from = min;
      to = max;
    } else {
      int dash = range.indexOf('-');
      if (dash > 0) {
        from = number(range.substring(0, dash), min, max, names);
        to = number(range.substring(dash + 1), min, max, names);
        if (to < from) {
          throw new IllegalArgumentException("a range runs from low to high");
        }
      } else {
        from = number(range, min, max, names);
        to = slash >= 0 ? max : from;
      }
    }
    for (int i = from; i <= to; i += step) {
      bits.set(i);
    }
  }

  private static int number(String text, int min, int max, String[] names) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(text)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    if (!text.matches("[0-9]{1,2}")) {
      throw new IllegalArgumentException("'" + text + "' is not a number or name");
    }
    int value = Integer.parseInt(text);
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " is outside " + min + "-" + max);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
