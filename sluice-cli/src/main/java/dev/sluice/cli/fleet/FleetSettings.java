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
    return builder(server).build();
  }

  /**
   * Settings for a fleet polling {@code server}, to be refined: by default the tenant is {@code
   * DEFAULT}, no installation fails, devices poll as the server asks, the simulation runs until
   * stopped, with at most 64 requests in flight, seed 1, and a reboot takes 100 ms.
   */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(server)
        .tenant(tenant)
        .failureRate(failureRate)
        .versionFailureRates(versionFailureRates)
        .pollOverride(pollOverride)
        .duration(duration)
        .untilDone(untilDone)
        .concurrency(concurrency)
        .seed(seed)
        .rebootTime(rebootTime);
  }

  public FleetSettings withFailureRate(double rate) {
    return toBuilder().failureRate(rate).build();
  }

  /** These settings with installations of {@code version} failing on a share {@code rate}. */
  public FleetSettings withVersionFailureRate(String version, double rate) {
    Map<String, Double> rates = new java.util.HashMap<>(versionFailureRates);
    rates.put(version, rate);
    return toBuilder().versionFailureRates(rates).build();
  }

  public FleetSettings withPoll(Duration poll) {
    return toBuilder().pollOverride(Optional.of(poll)).build();
  }

  public FleetSettings withDuration(Duration limit) {
    return toBuilder().duration(Optional.of(limit)).build();
  }

  public FleetSettings stoppingWhenDone() {
    return toBuilder().untilDone(true).build();
  }

  /** Builds {@link FleetSettings}; what is not set keeps the default named at {@link #builder}. */
  public static final class Builder {
    private final URI server;
    private String tenant = "DEFAULT";
    private double failureRate;
    private Map<String, Double> versionFailureRates = Map.of();
    private Optional<Duration> pollOverride = Optional.empty();
    private Optional<Duration> duration = Optional.empty();
    private boolean untilDone;
    private int concurrency = 64;
    private long seed = 1;
    private Duration rebootTime = Duration.ofMillis(100);

    private Builder(URI server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder failureRate(double failureRate) {
      this.failureRate = failureRate;
      return this;
    }

    public Builder versionFailureRates(Map<String, Double> versionFailureRates) {
      this.versionFailureRates = Map.copyOf(versionFailureRates);
      return this;
    }

    public Builder pollOverride(Optional<Duration> pollOverride) {
      this.pollOverride = pollOverride;
      return this;
    }

    public Builder duration(Optional<Duration> duration) {
      this.duration = duration;
      return this;
    }

    public Builder untilDone(boolean untilDone) {
      this.untilDone = untilDone;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder rebootTime(Duration rebootTime) {
      this.rebootTime = rebootTime;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public FleetSettings build() {
      return new FleetSettings(
          server,
          tenant,
          failureRate,
          versionFailureRates,
          pollOverride,
          duration,
          untilDone,
          concurrency,
          seed,
          rebootTime);
    }
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
