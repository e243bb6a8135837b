package dev.sluice.server.web;

import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.CheckReport;
import dev.sluice.core.standards.StandardResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting used by the templates: times in UTC, states and outcomes in plain words. */
public final class Fmt {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Fmt() {}

  public static String time(Instant instant) {
    return TIME.format(instant);
  }

  public static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /** What a release's state means for someone waiting for it. */
  public static String stateInWords(ReleaseState state) {
    return switch (state) {
      case DRAFT -> "waiting for its checks";
      case CHECKED -> "passed its checks; waiting for certifiers' sign-offs";
      case BLOCKED -> "blocked: it failed required standards";
      case CERTIFIED -> "certified; waiting to be published";
      case PUBLISHED -> "available to devices";
      case REVOKED -> "withdrawn: devices are no longer offered it";
    };
  }

  public static String outcome(StandardResult r) {
    return switch (r.outcome()) {
      case PASS -> "passed";
      case FAIL -> r.blocks() ? "failed (blocks the release)" : "failed (warning)";
      case ERROR -> "could not be evaluated";
    };
  }

  public static boolean failed(StandardResult r) {
    return r.outcome() != CheckReport.Outcome.PASS;
  }

  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  public static String percent(long part, long whole) {
    if (whole <= 0) {
      return "0%";
    }
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
  }

  /** Width for a progress bar, 0–100. */
  public static long pct(long part, long whole) {
    return whole <= 0 ? 0 : Math.min(100, Math.round(100.0 * part / whole));
  }
}
