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
 * change takes to commit. On PostgreSQL a change can commit after one with a higher position: a run
 * remembers the positions it skipped (gaps below the highest it read) and asks for exactly those
 * again in the following runs, for {@link #REREAD}; a gap that stays empty that long was a
 * transaction rolled back. So a run reads only new rows and the few late ones, by primary key —
 * never the feed's last seconds again, which at thousands of changes a second would be more than a
 * run reads at once (and would drop the whole cache every second).
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

  /** At most this many skipped positions are remembered; more drops the cache (see above). */
  static final int MAX_GAPS = 10_000;

  /** How many positions below the feed's end a restart checks for changes still in flight. */
  static final int RESTART_WINDOW = 1_000;

  private long cursor = -1;

  /** Positions below {@link #cursor} not read yet, with when they were first skipped. */
  private final java.util.TreeMap<Long, Instant> gaps = new java.util.TreeMap<>();

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
      gaps.values().removeIf(skipped -> skipped.isBefore(now.minus(REREAD)));
      List<Sha256> tokensEnded = new ArrayList<>();
      List<DeviceChangeFeed.Change> late = new ArrayList<>();
      List<DeviceChangeFeed.Change> changes =
          transactions.read(
              repos -> {
                tokensEnded.addAll(repos.tokens().invalidatedBetween(since, now));
                if (!gaps.isEmpty()) {
                  late.addAll(repos.deviceChanges().at(gaps.keySet()));
                }
                return repos.deviceChanges().after(cursor, BATCH);
              });
      tokensEnded.forEach(cache::forgetGateway);
      if (changes.size() >= BATCH) {
        restart(now);
        return -1;
      }
      for (DeviceChangeFeed.Change change : late) {
        cache.invalidate(change.device());
        gaps.remove(change.seq());
      }
      for (DeviceChangeFeed.Change change : changes) {
        if (change.seq() - cursor - 1 > MAX_GAPS - gaps.size()) {
          restart(now);
          return -1;
        }
        for (long skipped = cursor + 1; skipped < change.seq(); skipped++) {
          gaps.put(skipped, now);
        }
        cache.invalidate(change.device());
        cursor = change.seq();
      }
      lastRead = now;
      if (!now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
        lastPrune = now;
        prune(now);
      }
      return changes.size() + late.size();
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

  /**
   * Drops everything cached and follows the feed from its current end. Positions just below the end
   * that are not there yet may belong to transactions still in flight: they are gaps to ask for
   * again, like any other (at most {@link #RESTART_WINDOW} of them).
   */
  private void restart(Instant now) {
    List<Long> recent = new ArrayList<>();
    long latest =
        transactions.read(
            repos -> {
              long end = repos.deviceChanges().latestSeq();
              repos
                  .deviceChanges()
                  .after(Math.max(0, end - RESTART_WINDOW), RESTART_WINDOW)
                  .forEach(c -> recent.add(c.seq()));
              return end;
            });
    cache.clear();
    gaps.clear();
    for (long seq = Math.max(1, latest - RESTART_WINDOW + 1); seq <= latest; seq++) {
      gaps.put(seq, now);
    }
    recent.forEach(gaps::remove);
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
