package dev.sluice.server.ddi;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the device API (hawkBit DDI) behaves.
 *
 * @param tenant the one tenant name devices use in {@code /{tenant}/controller/v1/...} (matched
 *     case-insensitively; any other tenant is 404)
 * @param pollInterval the {@code sleep} devices are told between polls
 * @param pollJitter each device's sleep is moved by a fixed amount in [-jitter, +jitter] derived
 *     from its controller id, so a fleet started together spreads out
 * @param anonymous whether registered devices may use the API without a token
 * @param trustForwardedHeaders whether links honour {@code X-Forwarded-Proto} and {@code
 *     X-Forwarded-Host} (only behind a proxy that sets them)
 * @param pollCacheTtl the longest a device's precomputed poll answer is reused, zero (the default)
 *     for no limit: an answer is dropped when the device changes (at once for changes made by this
 *     server, within about a second for other servers' changes, through the device change feed)
 * @param pollCacheEntries how many devices' poll answers are kept at most (about 0.4 KiB of heap
 *     each); a fleet larger than this polls the database for the rest
 * @param requestsPerSecond the sustained rate of DDI requests one device (or token) may make
 * @param burst how many DDI requests one device may make at once
 * @param lastSeenFlush how often the batched last-seen times are written
 */
public record DdiConfig(
    String tenant,
    Duration pollInterval,
    Duration pollJitter,
    boolean anonymous,
    boolean trustForwardedHeaders,
    Duration pollCacheTtl,
    int pollCacheEntries,
    double requestsPerSecond,
    int burst,
    Duration lastSeenFlush) {
  public static final String DEFAULT_TENANT = "DEFAULT";

  /** Default cap on cached poll answers: a fleet of 100,000 devices fits twice over. */
  public static final int DEFAULT_POLL_CACHE_ENTRIES = 250_000;

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Duration MAX_SLEEP = Duration.ofHours(24).minusSeconds(1);

  public DdiConfig {
    Objects.requireNonNull(tenant, "tenant");
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("a DDI tenant is 1-64 letters, digits, '_' or '-'");
    }
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(pollJitter, "pollJitter");
    if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0
        || pollInterval.compareTo(MAX_SLEEP) > 0) {
      throw new IllegalArgumentException("the poll interval is between 1 second and 23:59:59");
    }
    if (pollJitter.isNegative() || pollJitter.compareTo(pollInterval) >= 0) {
      throw new IllegalArgumentException(
          "the poll jitter is zero or more and less than the poll interval");
    }
    Objects.requireNonNull(pollCacheTtl, "pollCacheTtl");
    if (pollCacheTtl.isNegative()) {
      throw new IllegalArgumentException("the poll cache's maximum age cannot be negative");
    }
    if (pollCacheEntries < 1) {
      throw new IllegalArgumentException("the poll cache needs room for at least one answer");
    }
    if (!(requestsPerSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("the DDI rate limit needs a positive rate and burst");
    }
    Objects.requireNonNull(lastSeenFlush, "lastSeenFlush");
    if (lastSeenFlush.isNegative() || lastSeenFlush.isZero()) {
      throw new IllegalArgumentException("the last-seen flush interval must be positive");
    }
  }

  /** Every default: see {@link #builder()}. */
  public static DdiConfig defaults() {
    return builder().build();
  }

  /**
   * Settings starting at the defaults: tenant {@value #DEFAULT_TENANT}, 5 minute polls with 30 s
   * jitter, no anonymous access, forwarded headers not trusted, poll answers cached until the
   * device changes (at most {@value #DEFAULT_POLL_CACHE_ENTRIES} of them), 5 requests a second per
   * device with bursts of 60, last-seen times written every 5 s.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .tenant(tenant)
        .polling(pollInterval, pollJitter)
        .anonymous(anonymous)
        .trustForwardedHeaders(trustForwardedHeaders)
        .pollCacheTtl(pollCacheTtl)
        .pollCacheEntries(pollCacheEntries)
        .rateLimit(requestsPerSecond, burst)
        .lastSeenFlush(lastSeenFlush);
  }

  /** Builds {@link DdiConfig}; {@link #build()} validates the whole. */
  public static final class Builder {
    private String tenant = DEFAULT_TENANT;
    private Duration pollInterval = Duration.ofMinutes(5);
    private Duration pollJitter = Duration.ofSeconds(30);
    private boolean anonymous;
    private boolean trustForwardedHeaders;
    private Duration pollCacheTtl = Duration.ZERO;
    private int pollCacheEntries = DEFAULT_POLL_CACHE_ENTRIES;
    private double requestsPerSecond = 5.0;
    private int burst = 60;
    private Duration lastSeenFlush = Duration.ofSeconds(5);

    private Builder() {}

    public Builder tenant(String value) {
      this.tenant = value;
      return this;
    }

    /** The sleep devices are told, moved per device by up to {@code jitter} either way. */
    public Builder polling(Duration interval, Duration jitter) {
      this.pollInterval = interval;
      this.pollJitter = jitter;
      return this;
    }

    public Builder anonymous(boolean allowed) {
      this.anonymous = allowed;
      return this;
    }

    public Builder trustForwardedHeaders(boolean trusted) {
      this.trustForwardedHeaders = trusted;
      return this;
    }

    public Builder pollCacheTtl(Duration value) {
      this.pollCacheTtl = value;
      return this;
    }

    public Builder pollCacheEntries(int value) {
      this.pollCacheEntries = value;
      return this;
    }

    /** One device's sustained request rate and burst. */
    public Builder rateLimit(double perSecond, int burstSize) {
      this.requestsPerSecond = perSecond;
      this.burst = burstSize;
      return this;
    }

    public Builder lastSeenFlush(Duration value) {
      this.lastSeenFlush = value;
      return this;
    }

    public DdiConfig build() {
      return new DdiConfig(
          tenant,
          pollInterval,
          pollJitter,
          anonymous,
          trustForwardedHeaders,
          pollCacheTtl,
          pollCacheEntries,
          requestsPerSecond,
          burst,
          lastSeenFlush);
    }
  }

  /** The sleep one device is told: the interval moved by its fixed share of the jitter. */
  public Duration sleepFor(String controllerId) {
    long jitterMillis = pollJitter.toMillis();
    if (jitterMillis == 0) {
      return pollInterval;
    }
    long spread = Math.floorMod(mix(controllerId.hashCode()), 2 * jitterMillis + 1) - jitterMillis;
    Duration sleep = pollInterval.plusMillis(spread);
    if (sleep.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return sleep.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : sleep;
  }

  /** DDI's {@code sleep} format: HH:mm:ss (clients parse it with strptime). */
  public static String hhmmss(Duration d) {
    long s = d.toSeconds();
    // Every poll miss formats one: by hand, as "%02d:%02d:%02d" would (String.format parses its
    // pattern on each call).
    StringBuilder out = new StringBuilder(8);
    twoDigits(out, s / 3600).append(':');
    twoDigits(out, (s / 60) % 60).append(':');
    return twoDigits(out, s % 60).toString();
  }

  private static StringBuilder twoDigits(StringBuilder out, long value) {
    return (value < 10 && value >= 0 ? out.append('0') : out).append(value);
  }

  private static long mix(int h) {
    long x = h * 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
  }
}
