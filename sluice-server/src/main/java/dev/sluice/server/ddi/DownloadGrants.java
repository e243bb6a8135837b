package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent decisions that a device may download a release's artifacts, so that the many Range
 * requests of a device fetching an artifact in chunks (or resuming) do not each read the database
 * to check its credential, its actions and the release's state.
 *
 * <p>A grant is dropped with the device's cached poll answer ({@link PollCache#invalidate}: its
 * actions changed, its token was revoked or rotated, it was decommissioned, on this server at once
 * and through {@link DeviceChangeFollower} when another server sharing the database changed it);
 * every grant is dropped when a release is withdrawn on this server. A grant lives {@link #TTL} at
 * most: that bounds how long a release revoked through another server can still be served to a
 * device whose actions did not change (one that installed it before). Like the poll cache, a grant
 * read from the database before a drop but stored after it is refused ({@link #stamp()}).
 */
final class DownloadGrants {
  /** How long a grant is used at most before the database is read again. */
  static final Duration TTL = Duration.ofSeconds(1);

  /** How many devices have grants at most (when full, an arbitrary eighth is dropped). */
  static final int MAX_DEVICES = 100_000;

  /** How many releases one device has grants for at most (more: its grants start over). */
  static final int MAX_RELEASES_PER_DEVICE = 8;

  private static final long MARKER_MILLIS = 60_000;

  private final ConcurrentHashMap<String, Slot> devices = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private volatile long allDroppedAt;
  private final Clock clock;
  private final long ttlMillis;
  private final int maxDevices;

  DownloadGrants(Clock clock, Duration ttl, int maxDevices) {
    if (ttl.isNegative() || ttl.isZero() || maxDevices < 1) {
      throw new IllegalArgumentException("download grants need a positive lifetime and room");
    }
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
    this.maxDevices = maxDevices;
  }

  /**
   * What was found allowed: the device (and its target token's hash, to check the next request's
   * credential without the database) may download the release's artifacts until {@code expires}.
   * {@code downloadNoted} turns true once nothing is left to record about the device's downloads of
   * the release (see {@code DdiEndpoints.noteDownload}); a change of its actions drops the grant.
   */
  record Grant(
      Device device,
      Optional<Sha256> targetToken,
      Release release,
      long expires,
      AtomicBoolean downloadNoted) {}

  private sealed interface Slot permits Granted, Dropped {}

  private record Granted(Map<ReleaseId, Grant> byRelease) implements Slot {}

  private record Dropped(long change, long at) implements Slot {}

  /** Taken before reading what a grant is made of; {@link #put} refuses it after a drop. */
  long stamp() {
    return changes.get();
  }

  /** The device's unexpired grant for the release, or null. */
  Grant find(ControllerId device, ReleaseId release) {
    if (!(devices.get(device.value()) instanceof Granted g)) {
      return null;
    }
    Grant grant = g.byRelease().get(release);
    return grant == null || grant.expires() <= clock.millis() ? null : grant;
  }

  /** A grant made now, for {@link #put}. */
  Grant grant(Device device, Optional<Sha256> targetToken, Release release) {
    return new Grant(
        device, targetToken, release, clock.millis() + ttlMillis, new AtomicBoolean(false));
  }

  /** Keeps the grant unless the device's grants (or all) were dropped since {@code stamp}. */
  void put(long stamp, Grant grant) {
    if (stamp < allDroppedAt) {
      return;
    }
    if (devices.size() >= maxDevices) {
      evictSome();
    }
    devices.compute(
        grant.device().id().value(),
        (k, old) ->
            switch (old) {
              case null -> new Granted(Map.of(grant.release().id(), grant));
              case Dropped d when d.change() > stamp -> d;
              case Dropped d -> new Granted(Map.of(grant.release().id(), grant));
              case Granted g -> withGrant(g, grant);
            });
    // A drop of everything between the check above and the put wins.
    if (stamp < allDroppedAt) {
      devices.computeIfPresent(
          grant.device().id().value(), (k, v) -> v instanceof Granted ? null : v);
    }
  }

  /** Drops the device's grants (its actions, token or state changed). */
  void drop(ControllerId device) {
    devices.put(device.value(), new Dropped(changes.incrementAndGet(), clock.millis()));
  }

  /** Drops every grant (a release was withdrawn, or changes may have been missed). */
  void dropAll() {
    allDroppedAt = changes.incrementAndGet();
    devices.clear();
  }

  /** How many devices have grants now (counted: a test's or a scrape's cost). */
  int size() {
    int n = 0;
    for (Slot s : devices.values()) {
      if (s instanceof Granted) {
        n++;
      }
    }
    return n;
  }

  /** Forgets expired grants and old drop markers (run periodically). */
  void prune() {
    long now = clock.millis();
    devices
        .values()
        .removeIf(
            s ->
                switch (s) {
                  case Dropped d -> d.at() + MARKER_MILLIS <= now;
                  case Granted g ->
                      g.byRelease().values().stream().allMatch(x -> x.expires() <= now);
                });
  }

  private void evictSome() {
    int drop = Math.max(1, maxDevices / 8);
    Iterator<Slot> it = devices.values().iterator();
    while (drop > 0 && it.hasNext()) {
      if (it.next() instanceof Granted) {
        it.remove();
        drop--;
      }
    }
  }

  private static Granted withGrant(Granted g, Grant grant) {
    if (g.byRelease().size() >= MAX_RELEASES_PER_DEVICE) {
      return new Granted(Map.of(grant.release().id(), grant));
    }
    Map<ReleaseId, Grant> more = new HashMap<>(g.byRelease());
    more.put(grant.release().id(), grant);
    return new Granted(Map.copyOf(more));
  }
}
