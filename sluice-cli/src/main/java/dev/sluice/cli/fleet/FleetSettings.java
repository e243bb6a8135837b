package dev.sluice.cli.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a simulated fleet behaves.
 *
 * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param tenant the DDI tenant (hawkBit's default is {@code DEFAULT})
 * @param failureRate the share of devices, in [0, 1], that report every installation as failed
 * @param versionFailureRates for these versions, the share of devices whose installation of that
 *     version fails instead ({@link #failureRateFor}); a device that fails at a lower rate also
 *     fails at every higher one
 * @param pollOverride a poll interval that replaces the one the server asks for
 * @param duration stop after this long; empty: until stopped (or done, with {@code untilDone})
 * @param untilDone stop once every device has finished an action and none is in progress
 * @param concurrency at most this many HTTP requests in flight (and connections)
 * @param seed seeds which devices fail and the jitter of their polls
 * @param rebootTime how long a device takes to "reboot" before it confirms its new version
 */
public record FleetSettings(
    URI server,
    String tenant,
    double failureRate,
    Map<String, Double> versionFailureRates,
    Optional<Duration> pollOverride,
    Optional<Duration> duration,
    boolean untilDone,
    int concurrency,
    long seed,
    Duration rebootTime) {
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public FleetSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(pollOverride, "pollOverride");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(rebootTime, "rebootTime");
    String scheme = server.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || server.getHost() == null) {
      throw new IllegalArgumentException(
          "the server URL must look like http://HOST:PORT, got '" + server + "'");
    }
    String text = server.toString();
    server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "a tenant is 1-64 letters, digits, '.', '_' or '-', got '" + tenant + "'");
    }
    requireRate(failureRate, "the failure rate");
    versionFailureRates = Map.copyOf(versionFailureRates);
    versionFailureRates.forEach(
        (version, rate) -> {
          if (version.isBlank()) {
            throw new IllegalArgumentException("a failing version cannot be blank");
          }
          requireRate(rate, "the failure rate of version " + version);
        });
    pollOverride.ifPresent(p -> requirePositive(p, "the poll interval"));
    duration.ifPresent(d -> requirePositive(d, "the duration"));
    if (concurrency < 1 || concurrency > 100_000) {
      throw new IllegalArgumentException(
          "the concurrency is from 1 to 100000 requests in flight, got " + concurrency);
    }
    if (rebootTime.isNegative()) {
      throw new IllegalArgumentException("the reboot time cannot be negative");
    }
  }

  /** The share of devices whose installation of {@code version} fails. */
  public double failureRateFor(Optional<String> version) {
    return version.map(v -> versionFailureRates.getOrDefault(v, failureRate)).orElse(failureRate);
  }

  /** Settings with the defaults for everything but the server. */
  public static FleetSettings defaults(URI server) {
    return new FleetSettings(
        server,
        "DEFAULT",
        0,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        false,
        64,
        1,
        Duration.ofMillis(100));
  }

  public FleetSettings withFailureRate(double rate) {
    return new FleetSettings(
        server,
        tenant,
        rate,
        versionFailureRates,
        pollOverride,
        duration,
        untilDone,
        concurrency,
        seed,
        rebootTime);
  }

  /** These settings with installations of {@code version} failing on a share {@code rate}. */
  public FleetSettings withVersionFailureRate(String version, double rate) {
    Map<String, Double> rates = new java.util.HashMap<>(versionFailureRates);
    rates.put(version, rate);
    return new FleetSettings(
        server,
        tenant,
        failureRate,
        rates,
        pollOverride,
        duration,
        untilDone,
        concurrency,
        seed,
        rebootTime);
  }

  public FleetSettings withPoll(Duration poll) {
    return new FleetSettings(
        server,
        tenant,
        failureRate,
        versionFailureRates,
        Optional.of(poll),
        duration,
        untilDone,
        concurrency,
        seed,
        rebootTime);
  }

  public FleetSettings withDuration(Duration limit) {
    return new FleetSettings(
        server,
        tenant,
        failureRate,
        versionFailureRates,
        pollOverride,
        Optional.of(limit),
        untilDone,
        concurrency,
        seed,
        rebootTime);
  }

  public FleetSettings stoppingWhenDone() {
    return new FleetSettings(
        server,
        tenant,
        failureRate,
        versionFailureRates,
        pollOverride,
        duration,
        true,
        concurrency,
        seed,
        rebootTime);
  }

  private static void requireRate(double rate, String what) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " is a number from 0 to 1, got " + rate);
    }
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
