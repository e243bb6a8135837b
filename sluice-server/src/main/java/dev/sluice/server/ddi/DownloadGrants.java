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
 * <p>A decision has two parts, kept apart because they change for different reasons. What concerns
 * the device (its credential, and an action that lets it download the release) is a grant per
 * device and release; it is dropped with the device's cached poll answer ({@link
 * PollCache#invalidate}: its actions changed, its token was revoked or rotated, it was
 * decommissioned, on this server at once and through {@link DeviceChangeFollower} when another
 * server sharing the database changed it), and lives {@link #DEVICE_TTL} at most. What concerns the
 * release (published, no revocation recorded) is a check per release shared by every device, which
 * lives {@link #TTL}: that bounds how long a release revoked through another server can still be
 * served to a device whose actions did not change (one that installed it before), and it costs one
 * small read a second per release being downloaded, not one per device. Every grant and release
 * check is dropped when a release is withdrawn on this server. Like the poll cache, a grant or a
 * release check read from the database before a drop but stored after it is refused ({@link
 * #stamp()}).
 */
final class DownloadGrants {
  /**
   * How long a release's check (published, not revoked) is used at most before the database is read
   * again: the bound on serving a release revoked through another server.
   */
  static final Duration TTL = Duration.ofSeconds(1);

  /**
   * How long a device's grant is used at most. Everything it depends on is dropped when it changes
   * (see above); the bound only limits what a change the feed did not carry could cost.
   */
  static final Duration DEVICE_TTL = Duration.ofSeconds(30);

  /** How many devices have grants at most (when full, an arbitrary eighth is dropped). */
  static final int MAX_DEVICES = 100_000;

  /** How many releases one device has grants for at most (more: its grants start over). */
  static final int MAX_RELEASES_PER_DEVICE = 8;

  private static final long MARKER_MILLIS = 60_000;

  private final ConcurrentHashMap<String, Slot> devices = new ConcurrentHashMap<>();

  /** Per release, until when (epoch millis) its last check that it may be downloaded holds. */
  private final ConcurrentHashMap<ReleaseId, Long> releasesChecked = new ConcurrentHashMap<>();

  private final AtomicLong changes = new AtomicLong();
  private volatile long allDroppedAt;
  private final Clock clock;
  private final long deviceTtlMillis;
  private final long releaseTtlMillis;
  private final int maxDevices;

  /**
   * Release checks live {@code ttl}, device grants {@link #DEVICE_TTL} (or {@code ttl} if longer).
   */
  DownloadGrants(Clock clock, Duration ttl, int maxDevices) {
    this(clock, DEVICE_TTL.compareTo(ttl) > 0 ? DEVICE_TTL : ttl, ttl, maxDevices);
  }

  DownloadGrants(Clock clock, Duration deviceTtl, Duration releaseTtl, int maxDevices) {
    if (deviceTtl.isNegative()
        || deviceTtl.isZero()
        || releaseTtl.isNegative()
        || releaseTtl.isZero()
        || maxDevices < 1) {
      throw new IllegalArgumentException("download grants need positive lifetimes and room");
    }
    this.clock = clock;
    this.deviceTtlMillis = deviceTtl.toMillis();
    this.releaseTtlMillis = releaseTtl.toMillis();
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

  /**
   * The device's unexpired grant for the release, or null; null too when the release's own check
   * has expired (then {@link #deviceGrant} and {@link #releaseChecked} renew it).
   */
  Grant find(ControllerId device, ReleaseId release) {
    Grant grant = deviceGrant(device, release);
    return grant == null || !releaseFresh(release) ? null : grant;
  }

  /** The device's unexpired grant for the release, whatever the release's check, or null. */
  Grant deviceGrant(ControllerId device, ReleaseId release) {
    if (!(devices.get(device.value()) instanceof Granted g)) {
      return null;
    }
    Grant grant = g.byRelease().get(release);
    return grant == null || grant.expires() <= clock.millis() ? null : grant;
  }

  private boolean releaseFresh(ReleaseId release) {
    Long until = releasesChecked.get(release);
    return until != null && until > clock.millis();
  }

  /**
   * The release was found published and not revoked (read after {@code stamp}): every device's
   * grant for it holds for {@link #TTL} more, unless a drop of everything came since.
   */
  void releaseChecked(long stamp, ReleaseId release) {
    if (stamp < allDroppedAt) {
      return;
    }
    releasesChecked.put(release, clock.millis() + releaseTtlMillis);
    // A release withdrawn between the check above and the put wins.
    if (stamp < allDroppedAt) {
      releasesChecked.remove(release);
    }
  }

  /** A grant made now, for {@link #put}. */
  Grant grant(Device device, Optional<Sha256> targetToken, Release release) {
    return new Grant(
        device, targetToken, release, clock.millis() + deviceTtlMillis, new AtomicBoolean(false));
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

  /** Drops every grant and release check (a release was withdrawn, or changes were missed). */
  void dropAll() {
    allDroppedAt = changes.incrementAndGet();
    releasesChecked.clear();
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

  /** Forgets expired grants, release checks and old drop markers (run periodically). */
  void prune() {
    long now = clock.millis();
    releasesChecked.values().removeIf(until -> until <= now);
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
