package dev.sluice.server.tuf;

import dev.sluice.core.port.Transactions;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.server.jobs.PeriodicJob;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-signs the online TUF metadata well before it expires: every {@link #INTERVAL} it asks {@link
 * dev.sluice.core.tuf.ExpiryRefresh#refreshExpiring}, which writes a new version of each online
 * role once less than half of its lifetime is left (with the default one-day timestamp: after
 * twelve hours; snapshot: after 3.5 days; targets: after 45 days). Runs as a periodic job; time
 * comes from the repository's clock, so tests call {@link #runOnce()} after advancing it.
 */
public final class TimestampRefresher {
  /** How often the timestamp's expiry is checked. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(TimestampRefresher.class);

  private final Transactions transactions;
  private final TufRepository tuf;

  public TimestampRefresher(Transactions transactions, TufRepository tuf) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.tuf = Objects.requireNonNull(tuf, "tuf");
  }

  /** The periodic check, every {@link #INTERVAL}. */
  public PeriodicJob job() {
    return PeriodicJob.every(INTERVAL, "tuf-refresh", this::tick);
  }

  /**
   * Checks once.
   *
   * @return whether a new timestamp was signed
   */
  public boolean runOnce() {
    // The top-level online keys are opened outside the transaction (see prepareKeys).
    if (transactions.read(tuf::hasRoot)) {
      tuf.prepareKeys(java.util.Optional.empty(), false);
    }
    return transactions.write(tuf.expiry()::refreshExpiring);
  }

  private void tick() {
    if (runOnce()) {
      LOG.info("re-signed expiring TUF metadata");
    }
  }
}
