package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per controller id, the precomputed bytes of its poll answer and what is needed to check a caller
 * without the database: the SHA-256 of its target token and its product (for gateway tokens).
 *
 * <p>An answer lives until the device changes: this server drops it when it changes the device's
 * actions or attributes, and {@link DeviceChangeFollower} drops it when another server sharing the
 * database recorded a change in the device change feed (within about a second). An optional maximum
 * age bounds how long any answer is reused; the number of answers is capped (when full, an
 * arbitrary eighth is dropped: those devices' next polls are read from the database again).
 *
 * <p>An answer that depends on the time (an open action with a maintenance window, or a deadline
 * still ahead) also ends when the time could change it (see {@code DdiEndpoints}).
 *
 * <p>The devices' {@link DownloadGrants} are dropped with their answers.
 *
 * <p>A dropped answer leaves a marker behind for a minute, so that a poll that read the database
 * before the change but finishes after it cannot put its stale answer back ({@link #stamp()}).
 */
public final class PollCache {
  /** Default cap on cached answers ({@code --poll-cache-entries}). */
  public static final int DEFAULT_MAX_ENTRIES = DdiConfig.DEFAULT_POLL_CACHE_ENTRIES;

  /**
   * How long a gateway token's product is remembered at most. A revoked or expired gateway token is
   * forgotten sooner: at once by the server that revoked it, within about a second by the others
   * ({@link DeviceChangeFollower} reads the tokens revoked or expired since its last run).
   */
  static final Duration GATEWAY_TTL = Duration.ofSeconds(10);

  private static final long MARKER_MILLIS = 60_000;

  private final ConcurrentHashMap<String, Slot> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Sha256, Gateway> gateways = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final Clock clock;
  private final long maxAgeMillis;
  private final int maxEntries;
  private final DownloadGrants downloads;

  /**
   * @param maxAge how long an answer may be reused at most; zero for no limit (until a change)
   * @param maxEntries how many answers are kept at most
   */
  PollCache(Clock clock, Duration maxAge, int maxEntries) {
    if (maxAge.isNegative() || maxEntries < 1) {
      throw new IllegalArgumentException("a poll cache needs a maximum age >= 0 and room");
    }
    this.clock = clock;
    this.maxAgeMillis = maxAge.toMillis();
    this.maxEntries = maxEntries;
    this.downloads = new DownloadGrants(clock, DownloadGrants.TTL, DownloadGrants.MAX_DEVICES);
  }

  /** The devices' recent download grants, dropped with their answers. */
  DownloadGrants downloads() {
    return downloads;
  }

  private sealed interface Slot permits Entry, Dropped {}

  /** A cached answer: the body for links on {@code base}, made at {@code made} (epoch millis). */
  record Entry(
      ControllerId id,
      byte[] body,
      String base,
      Optional<Sha256> targetToken,
      ProductName product,
      long made,
      long expires)
      implements Slot {}

  /** A dropped answer: change number {@code change}, at {@code at} (epoch millis). */
  private record Dropped(long change, long at) implements Slot {}

  private record Gateway(ProductName product, long expires) {}

  /** The current entry for the controller id whose links were made for {@code base}, if any. */
  Entry fresh(String controllerId, String base) {
    if (!(entries.get(controllerId) instanceof Entry e) || !e.base().equals(base)) {
      misses.increment();
      return null;
    }
    long now = clock.millis();
    if (e.expires() <= now || (maxAgeMillis > 0 && e.made() + maxAgeMillis <= now)) {
      misses.increment();
      return null;
    }
    hits.increment();
    return e;
  }

  /** Polls answered from this cache so far. */
  public long hits() {
    return hits.sum();
  }

  /** Polls that found no fresh answer here so far. */
  public long misses() {
    return misses.sum();
  }

  /** Taken before reading what an answer is made of; {@link #put} refuses it after a change. */
  long stamp() {
    return changes.get();
  }

  /**
   * Caches the answer until {@code expires} (epoch millis; {@code Long.MAX_VALUE} when only a
   * change of the device ends it), unless the device changed since {@code stamp} was taken (the
   * answer may be stale then; the next poll reads again).
   */
  void put(
      long stamp,
      ControllerId id,
      byte[] body,
      String base,
      Optional<Sha256> targetToken,
      ProductName product,
      long expires) {
    if (entries.size() >= maxEntries) {
      evictSome();
    }
    Entry entry = new Entry(id, body, base, targetToken, product, clock.millis(), expires);
    entries.compute(
        id.value(), (k, old) -> old instanceof Dropped d && d.change() > stamp ? old : entry);
  }

  /**
   * Drops the device's cached answer and download grants (its actions, attributes or credentials
   * changed).
   */
  public void invalidate(ControllerId id) {
    entries.put(id.value(), new Dropped(changes.incrementAndGet(), clock.millis()));
    downloads.drop(id);
  }

  /** Drops every cached answer and download grant (when changes may have been missed). */
  public void clear() {
    long change = changes.incrementAndGet();
    long now = clock.millis();
    entries.replaceAll((k, v) -> new Dropped(change, now));
    downloads.dropAll();
  }

  /**
   * A release is being revoked: no device may download it from now on, not even one whose actions
   * did not change (it installed the release before). Every download grant is dropped, not only the
   * release's: revocations are rare, and dropping all needs no index by release.
   */
  public void releaseWithdrawn(ReleaseId release) {
    downloads.dropAll();
  }

  /** How many answers are cached now (counted: a scrape's cost, not a poll's). */
  public int size() {
    int n = 0;
    for (Slot s : entries.values()) {
      if (s instanceof Entry) {
        n++;
      }
    }
    return n;
  }

  void rememberGateway(Sha256 token, ProductName product) {
    gateways.put(token, new Gateway(product, clock.millis() + GATEWAY_TTL.toMillis()));
  }

  /** Forgets a gateway token (revoked or expired): its next poll checks it in the database. */
  public void forgetGateway(Sha256 token) {
    gateways.remove(token);
  }

  /** The product of a gateway token seen recently, if still fresh. */
  ProductName gatewayProduct(Sha256 token) {
    Gateway g = gateways.get(token);
    return g == null || g.expires() <= clock.millis() ? null : g.product();
  }

  /** Drops old markers, answers past their maximum age and expired gateways (run periodically). */
  void prune() {
    long now = clock.millis();
    entries
        .values()
        .removeIf(
            s ->
                switch (s) {
                  case Dropped d -> d.at() + MARKER_MILLIS <= now;
                  case Entry e ->
                      e.expires() <= now || (maxAgeMillis > 0 && e.made() + maxAgeMillis <= now);
                });
    gateways.values().removeIf(g -> g.expires() <= now);
    downloads.prune();
  }

  private void evictSome() {
    int drop = Math.max(1, maxEntries / 8);
    Iterator<Slot> it = entries.values().iterator();
    while (drop > 0 && it.hasNext()) {
      if (it.next() instanceof Entry) {
        it.remove();
        drop--;
      }
    }
  }
}
