package dev.sluice.server.ddi;

import dev.sluice.core.device.DeviceChangeFeed;
import dev.sluice.core.port.Transactions;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the device change feed (changes recorded by every server sharing the database) and drops
 * the changed devices' cached poll answers. {@link #runOnce} runs about every second, so a change
 * made through another server shows in this server's polls within about a second plus the time the
 * change takes to commit. Each run also rereads the changes of the last few seconds: on PostgreSQL
 * a change can commit after one with a higher position; rereading drops a few answers twice, never
 * misses one that committed within that window.
 *
 * <p>Each run also forgets the gateway tokens revoked or expired since the previous one (from the
 * tokens' rows), so a revoked gateway token stops working on every server within about a second.
 *
 * <p>Rows older than {@link #RETENTION} are pruned (once a minute). When this server could not read
 * the feed for half of that time, or a read fails, or a run finds more changes than it reads at
 * once, it drops its whole cache instead: it may have missed changes.
 */
public final class DeviceChangeFollower {
  /** How long changes stay in the feed. */
  public static final Duration RETENTION = Duration.ofHours(1);

  static final Duration REREAD = Duration.ofSeconds(5);
  static final int BATCH = 10_000;
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(DeviceChangeFollower.class);

  private final Transactions transactions;
  private final PollCache cache;
  private final Clock clock;
  private long cursor = -1;
  private Instant lastRead;
  private Instant lastPrune;

  DeviceChangeFollower(Transactions transactions, PollCache cache, Clock clock) {
    this.transactions = transactions;
    this.cache = cache;
    this.clock = clock;
  }

  /**
   * Reads the changes since the last run and drops those devices' answers; returns how many changes
   * it read, or -1 when it dropped the whole cache.
   */
  public synchronized int runOnce() {
    Instant now = clock.instant();
    try {
      if (cursor < 0 || now.isAfter(lastRead.plus(RETENTION.dividedBy(2)))) {
        restart(now);
        return -1;
      }
      Instant since = lastRead.minus(REREAD);
      List<Sha256> tokensEnded = new ArrayList<>();
      List<DeviceChangeFeed.Change> changes =
          transactions.read(
              repos -> {
                tokensEnded.addAll(repos.tokens().invalidatedBetween(since, now));
                return repos.deviceChanges().after(cursor, since, BATCH);
              });
      tokensEnded.forEach(cache::forgetGateway);
      if (changes.size() >= BATCH) {
        restart(now);
        return -1;
      }
      for (DeviceChangeFeed.Change change : changes) {
        cache.invalidate(change.device());
        cursor = Math.max(cursor, change.seq());
      }
      lastRead = now;
      if (!now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
        lastPrune = now;
        prune(now);
      }
      return changes.size();
    } catch (RuntimeException e) {
      cache.clear();
      throw e;
    }
  }

  private void prune(Instant now) {
    try {
      transactions.write(repos -> repos.deviceChanges().pruneBefore(now.minus(RETENTION)));
    } catch (RuntimeException e) {
      LOG.warn("pruning the device change feed failed; retrying in a minute", e);
    }
  }

  /** Drops everything cached and follows the feed from its current end. */
  private void restart(Instant now) {
    long latest = transactions.read(repos -> repos.deviceChanges().latestSeq());
    cache.clear();
    cursor = latest;
    lastRead = now;
    lastPrune = lastPrune == null ? now : lastPrune;
  }

  /** Runs from a scheduler: never throws (a failed read drops the cache, see above). */
  public void runScheduled() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("reading the device change feed failed; dropped all cached poll answers", e);
    }
  }
}
