package dev.sluice.server.ddi;

import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a controller id, or a client address): {@code burst} requests at once,
 * refilled at {@code perSecond}. Cheap enough for the I/O thread; buckets that are full again are
 * dropped by {@link #prune()}. At most {@code maxKeys} buckets are kept: when full, idle buckets
 * are dropped first, then an arbitrary eighth (those keys start again with a full bucket), so that
 * no stream of new keys can grow the heap.
 */
final class RateLimiter {
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final double perMilli;
  private final int burst;
  private final int maxKeys;
  private final Clock clock;

  RateLimiter(double perSecond, int burst, int maxKeys, Clock clock) {
    if (!(perSecond > 0) || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("a rate limiter needs a positive rate, burst and size");
    }
    this.perMilli = perSecond / 1000.0;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.clock = clock;
  }

  /** Takes one request's token; 0 if allowed, else the seconds until one is available. */
  long acquire(String key) {
    long now = clock.millis();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        makeRoom();
      }
      bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }
    synchronized (bucket) {
      bucket.refill(now, perMilli, burst);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return waitSeconds(bucket);
    }
  }

  /** The seconds until the key may make a request (0 if now), without taking a token. */
  long peek(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return 0;
    }
    synchronized (bucket) {
      bucket.refill(clock.millis(), perMilli, burst);
      return bucket.tokens >= 1 ? 0 : waitSeconds(bucket);
    }
  }

  private long waitSeconds(Bucket bucket) {
    double missing = 1 - bucket.tokens;
    return Math.max(1, (long) Math.ceil(missing / perMilli / 1000.0));
  }

  /** How many keys have a bucket now. */
  int size() {
    return buckets.size();
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

  private synchronized void makeRoom() {
    if (buckets.size() < maxKeys) {
      return;
    }
    prune();
    int drop = buckets.size() - maxKeys + Math.max(1, maxKeys / 8);
    Iterator<Bucket> it = buckets.values().iterator();
    while (drop > 0 && it.hasNext()) {
      it.next();
      it.remove();
      drop--;
    }
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
