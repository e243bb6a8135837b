package dev.sluice.core.action;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression naming the minutes at which maintenance windows open, parsed and evaluated by
 * cron-utils. Five fields are read as Unix cron ({@code minute hour day-of-month month
 * day-of-week}, weekdays 0-7 with 0 and 7 Sunday; when both day fields are restricted a day
 * matching either one matches). Six or seven fields are read as Quartz, the form hawkBit uses
 * ({@code second minute hour day-of-month month day-of-week [year]}, weekdays 1-7 with 1 Sunday,
 * {@code ?} in one day field); the second must be {@code 0} and the year {@code *}, because windows
 * open on whole minutes. A Quartz expression with {@code *} in both day fields is read as if the
 * day-of-week were {@code ?}.
 *
 * <p>Times are wall-clock minutes ({@link LocalDateTime}); the caller converts them in its zone.
 */
public final class CronSchedule {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronDefinition QUARTZ_DEFINITION =
      CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ);
  private static final CronParser QUARTZ = new CronParser(QUARTZ_DEFINITION);
  private static final String[] UNIX_FIELDS = {
    "minute", "hour", "day of month", "month", "day of week"
  };
  private static final String[] QUARTZ_FIELDS = {
    "second", "minute", "hour", "day of month", "month", "day of week", "year"
  };

  /** How far ahead (and back) a firing is searched: an impossible date never opens. */
  private static final int SEARCH_YEARS = 5;

  private final String text;
  private final ExecutionTime execution;

  private CronSchedule(String text, Cron cron) {
    this.text = text;
    this.execution = ExecutionTime.forCron(cron);
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException with a message naming the bad field
   */
  public static CronSchedule parse(String text) {
    Objects.requireNonNull(text, "text");
    String stripped = text.strip();
    String[] parts = stripped.split("\\s+");
    if (parts.length == 5) {
      return new CronSchedule(stripped, parse(UNIX, parts, UNIX_FIELDS, stripped));
    }
    if (parts.length == 6 || parts.length == 7) {
      if (!parts[0].equals("0")) {
        throw new IllegalArgumentException(
            "a maintenance schedule opens on whole minutes: its seconds field must be 0");
      }
      if (parts.length == 7 && !parts[6].equals("*") && !parts[6].equals("?")) {
        throw new IllegalArgumentException("a maintenance schedule's year field must be *");
      }
      String[] quartz = Arrays.copyOf(parts, parts.length);
      if (!quartz[3].equals("?") && !quartz[5].equals("?")) {
        if (quartz[5].equals("*")) {
          quartz[5] = "?";
        } else if (quartz[3].equals("*")) {
          quartz[3] = "?";
        } else {
          throw new IllegalArgumentException(
              "a Quartz schedule restricts the day of month or the day of week, not both: put ?"
                  + " in one of them");
        }
      }
      return new CronSchedule(stripped, parse(QUARTZ, quartz, QUARTZ_FIELDS, stripped));
    }
    throw new IllegalArgumentException(
        "a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6-7"
            + " with a leading seconds field; got '"
            + stripped
            + "'");
  }

  private static Cron parse(CronParser parser, String[] fields, String[] names, String text) {
    try {
      Cron cron = parser.parse(String.join(" ", fields));
      cron.validate();
      return cron;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '" + text + "': " + badField(parser, fields, names), e);
    }
  }

  /** Names the first field that is wrong on its own (the others replaced by wildcards). */
  private static String badField(CronParser parser, String[] fields, String[] names) {
    boolean quartz = fields.length > 5;
    int dom = quartz ? 3 : 2;
    int dow = quartz ? 5 : 4;
    for (int i = 0; i < fields.length; i++) {
      String[] probe = new String[fields.length];
      Arrays.fill(probe, "*");
      if (quartz) {
        probe[0] = "0";
        probe[i == dow ? dom : dow] = "?";
      }
      probe[i] = fields[i];
      try {
        parser.parse(String.join(" ", probe)).validate();
      } catch (IllegalArgumentException e) {
        return "bad " + names[i] + " field '" + fields[i] + "' (" + e.getMessage() + ")";
      }
    }
    return "the fields do not combine";
  }

  public String text() {
    return text;
  }

  /** Whether the schedule fires at this minute. */
  public boolean matches(LocalDateTime minute) {
    return execution.isMatch(utc(minute.withSecond(0).withNano(0)));
  }

  /** The first firing at or after {@code from} (rounded up to a whole minute), if any soon. */
  public Optional<LocalDateTime> nextAtOrAfter(LocalDateTime from) {
    LocalDateTime start = from.withSecond(0).withNano(0);
    if (start.isBefore(from)) {
      start = start.plusMinutes(1);
    }
    if (matches(start)) {
      return Optional.of(start);
    }
    LocalDateTime horizon = start.plusYears(SEARCH_YEARS);
    return execution
        .nextExecution(utc(start))
        .map(t -> t.toLocalDateTime())
        .filter(t -> !t.isAfter(horizon));
  }

  /** The last firing at or before {@code at} but not before {@code notBefore}, if any. */
  public Optional<LocalDateTime> lastAtOrBefore(LocalDateTime at, LocalDateTime notBefore) {
    LocalDateTime end = at.withSecond(0).withNano(0);
    if (end.isBefore(notBefore)) {
      return Optional.empty();
    }
    if (matches(end)) {
      return Optional.of(end);
    }
    return execution
        .lastExecution(utc(end))
        .map(t -> t.toLocalDateTime())
        .filter(t -> !t.isBefore(notBefore));
  }

  private static ZonedDateTime utc(LocalDateTime t) {
    return t.atZone(ZoneOffset.UTC);
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
