package dev.sluice.core.action;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device reported about an action (DDI {@code status.execution}, {@code
 * status.result.finished}, {@code details} and {@code code}).
 *
 * @param execution where the device says it is
 * @param result how it finished, or {@link Result#NONE} while it is not finished
 * @param details the device's messages, joined by newlines (may be empty)
 * @param code a device-specific status code, if it sent one
 * @param progress {@code status.result.progress}, if sent (counters are not checked: SWUpdate sends
 *     {@code cnt > of} and {@code of == 0} in log flushes)
 */
public record Feedback(
    Execution execution,
    Result result,
    String details,
    Optional<Integer> code,
    Optional<Progress> progress) {
  /** The longest details kept; longer ones are cut. */
  public static final int MAX_DETAILS = 4096;

  public Feedback {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(progress, "progress");
    if (details.length() > MAX_DETAILS) {
      details = details.substring(0, MAX_DETAILS);
    }
  }

  public Feedback(Execution execution, Result result, String details, Optional<Integer> code) {
    this(execution, result, details, code, Optional.empty());
  }

  /**
   * Whether this is the "all parts installed" signal: {@code proceeding} with {@code progress.cnt
   * == progress.of > 0}. SWUpdate sends it after installing and before the reboot.
   */
  public boolean allInstalled() {
    return execution == Execution.PROCEEDING
        && progress.map(p -> p.of() > 0 && p.cnt() == p.of()).orElse(false);
  }

  /** DDI's {@code status.result.progress}: {@code cnt} of {@code of} steps done. */
  public record Progress(long cnt, long of) {}

  /** DDI's {@code status.execution} values. */
  public enum Execution {
    CLOSED,
    PROCEEDING,
    CANCELED,
    SCHEDULED,
    REJECTED,
    RESUMED,
    DOWNLOADED,
    DOWNLOAD;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Execution fromWire(String value) {
      for (Execution e : values()) {
        if (e.wireName().equals(value)) {
          return e;
        }
      }
      throw new IllegalArgumentException(
          "status.execution is one of closed, proceeding, canceled, scheduled, rejected,"
              + " resumed, downloaded, download; got '"
              + value
              + "'");
    }
  }

  /** DDI's {@code status.result.finished} values. */
  public enum Result {
    SUCCESS,
    FAILURE,
    NONE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Result fromWire(String value) {
      for (Result r : values()) {
        if (r.wireName().equals(value)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "status.result.finished is one of success, failure, none; got '" + value + "'");
    }
  }
}
