package dev.sluice.server.ddi;

import dev.sluice.core.action.ActionService;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Problems;
import dev.sluice.server.jobs.PeriodicJob;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The device API's parts, wired in one place: the gate that admits devices (credentials, rate
 * limits, last-seen times), the endpoints, and the jobs that keep it current (the last-seen flush,
 * the change feed from other servers, pruning idle cache entries and rate-limit buckets).
 */
public final class DeviceApi {
  private final PollCache cache;
  private final LastSeen lastSeen;
  private final DeviceChangeFollower changes;
  private final DeviceGate gate;
  private final DdiEndpoints endpoints;
  private final Duration lastSeenFlush;

  public DeviceApi(
      DdiConfig config,
      Transactions transactions,
      Transactions deviceWrites,
      ActionService<RolloutPorts> actions,
      PollCache cache,
      TokenService tokens,
      BlobStore blobs,
      Problems problems,
      Clock clock,
      BooleanSupplier readInPlace) {
    this.cache = cache;
    this.lastSeen = new LastSeen(transactions);
    this.changes = new DeviceChangeFollower(transactions, cache, clock);
    this.gate =
        new DeviceGate(
            config,
            new DdiAccess(transactions, tokens, config.anonymous(), clock),
            lastSeen,
            problems,
            clock);
    this.endpoints =
        new DdiEndpoints(
            config,
            transactions,
            deviceWrites,
            actions,
            cache,
            gate,
            new Digests(transactions, blobs),
            blobs,
            problems,
            clock,
            readInPlace);
    this.lastSeenFlush = config.lastSeenFlush();
  }

  /** Admits devices; the router runs it before every device route. */
  public DeviceGate gate() {
    return gate;
  }

  public DdiEndpoints endpoints() {
    return endpoints;
  }

  /** The batched last-seen times ({@code runOnce()} for tests). */
  public LastSeen lastSeen() {
    return lastSeen;
  }

  /** Follows the device change feed ({@code runOnce()} for tests). */
  public DeviceChangeFollower changes() {
    return changes;
  }

  /** The devices' download grants (tests). */
  DownloadGrants downloads() {
    return cache.downloads();
  }

  /** Forgets expired cache entries and idle rate-limit buckets. */
  public void prune() {
    cache.prune();
    gate.prune();
  }

  /** How many rate-limit buckets are kept now (per device and per client address). */
  int rateLimitKeys() {
    return gate.rateLimitKeys();
  }

  /** The device API's periodic jobs. */
  public List<PeriodicJob> jobs() {
    return List.of(
        // The last-seen times still in memory are written once more when the server stops.
        PeriodicJob.every(lastSeenFlush, "ddi-last-seen", lastSeen::runOnce).alsoOnClose(),
        // Other servers' changes to devices reach this server's poll cache.
        PeriodicJob.every(Duration.ofSeconds(1), "ddi-change-feed", changes::runOnce)
            .firstAfter(Duration.ZERO),
        PeriodicJob.every(Duration.ofMinutes(1), "ddi-prune", this::prune));
  }
}
