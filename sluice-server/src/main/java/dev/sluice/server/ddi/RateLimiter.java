package dev.sluice.server.ddi;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a controller id): {@code burst} requests at once, refilled at {@code
 * perSecond}. Cheap enough for the I/O thread; buckets that are full again are dropped by {@link
 * #prune()}.
 */
final class RateLimiter {
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final double perMilli;
  private final int burst;
  private final Clock clock;

  RateLimiter(double perSecond, int burst, Clock clock) {
    this.perMilli = perSecond / 1000.0;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes one request's token; 0 if allowed, else the seconds until one is available. */
  long acquire(String key) {
    long now = clock.millis();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (bucket) {
      bucket.refill(now, perMilli, burst);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      double missing = 1 - bucket.tokens;
      return Math.max(1, (long) Math.ceil(missing / perMilli / 1000.0));
    }
  }

  /** Forgets buckets that have refilled completely (their keys are idle). */
  void prune() {
    long now = clock.millis();
    buckets
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                e.getValue().refill(now, perMilli, burst);
                return e.getValue().tokens >= burst;
              }
            });
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    void refill(long now, double perMilli, int burst) {
      if (now > at) {
        tokens = Math.min(burst, tokens + (now - at) * perMilli);
        at = now;
      }
    }
  }
}
