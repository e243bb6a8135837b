package dev.sluice.cli.serve;

import dev.sluice.server.ddi.DdiConfig;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code sluice serve}'s options for the device API (hawkBit DDI). */
final class DdiOptions {
  private static final Pattern UNIT = Pattern.compile("([0-9]{1,6})(ms|s|m|h)");
  private static final Pattern CLOCK = Pattern.compile("([0-9]{2}):([0-9]{2}):([0-9]{2})");

  @Option(
      names = "--ddi-tenant",
      paramLabel = "NAME",
      defaultValue = DdiConfig.DEFAULT_TENANT,
      description =
          "The tenant devices name in /{tenant}/controller/v1/ (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "How long devices sleep between polls, e.g. 5m, 30s, 00:05:00 (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--poll-jitter",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "Each device's sleep moves by a fixed share of +/- this (default: ${DEFAULT-VALUE}).")
  String pollJitter;

  @Option(
      names = "--ddi-anonymous",
      description = "Let registered devices use the device API without a token (off by default).")
  boolean anonymous;

  @Option(
      names = "--ddi-trust-forwarded",
      description =
          "Build device links from X-Forwarded-Proto/Host (only behind a proxy setting them).")
  boolean trustForwarded;

  @Option(
      names = "--ddi-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "5",
      description =
          "Sustained device API requests per second per device (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--ddi-burst",
      paramLabel = "N",
      defaultValue = "60",
      description = "Device API requests a device may make at once (default: ${DEFAULT-VALUE}).")
  int burst;

  @Option(
      names = "--poll-cache-ttl",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "The longest a precomputed poll answer is reused; 0s: until the device changes (other"
              + " servers' changes show within about a second either way) (default: ${DEFAULT-VALUE}).")
  String pollCacheTtl;

  @Option(
      names = "--poll-cache-entries",
      paramLabel = "N",
      defaultValue = "250000",
      description =
          "How many devices' poll answers are kept in memory at most, about 0.4 KiB of heap each;"
              + " a fleet larger than this is partly answered from the database. Raise the heap"
              + " (SLUICE_JAVA_OPTS=-Xmx...) with it (default: ${DEFAULT-VALUE}).")
  int pollCacheEntries;

  DdiConfig config() {
    return DdiConfig.builder()
        .tenant(tenant)
        .polling(duration("--poll-interval", pollInterval), duration("--poll-jitter", pollJitter))
        .anonymous(anonymous)
        .trustForwardedHeaders(trustForwarded)
        .pollCacheTtl(duration("--poll-cache-ttl", pollCacheTtl))
        .pollCacheEntries(pollCacheEntries)
        .rateLimit(rate, burst)
        .build();
  }

  static Duration duration(String option, String text) {
    Matcher unit = UNIT.matcher(text.strip());
    if (unit.matches()) {
      long n = Long.parseLong(unit.group(1));
      return switch (unit.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    Matcher clock = CLOCK.matcher(text.strip());
    if (clock.matches()) {
      return Duration.ofHours(Long.parseLong(clock.group(1)))
          .plusMinutes(Long.parseLong(clock.group(2)))
          .plusSeconds(Long.parseLong(clock.group(3)));
    }
    throw new IllegalArgumentException(
        option + " takes a duration like 30s, 5m, 1h or HH:mm:ss; got '" + text + "'");
  }
}
