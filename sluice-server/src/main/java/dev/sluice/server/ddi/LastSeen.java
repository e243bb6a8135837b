package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.port.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices' last-seen times, batched: a poll only records the time in memory, and {@link #runOnce}
 * (scheduled every few seconds) writes all recorded times in one transaction. A quiet poll thus
 * makes no database write of its own.
 */
public final class LastSeen {
  private static final Logger LOG = LoggerFactory.getLogger(LastSeen.class);
  private final ConcurrentHashMap<ControllerId, Instant> pending = new ConcurrentHashMap<>();
  private final Transactions transactions;

  LastSeen(Transactions transactions) {
    this.transactions = transactions;
  }

  void seen(ControllerId device, Instant at) {
    pending.put(device, at);
  }

  /** Writes the times recorded since the last run; returns how many devices it wrote. */
  public int runOnce() {
    if (pending.isEmpty()) {
      return 0;
    }
    Map<ControllerId, Instant> batch = new HashMap<>();
    for (ControllerId id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    try {
      transactions.write(
          repos -> {
            repos.devices().touchLastSeen(batch);
            return null;
          });
    } catch (RuntimeException e) {
      // Put them back (unless a newer poll was recorded meanwhile) and try again next time.
      batch.forEach((id, at) -> pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
      LOG.warn("could not record last-seen times; retrying", e);
      return 0;
    }
    return batch.size();
  }

  /** Runs from a scheduler: never throws. */
  public void runScheduled() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("last-seen flush failed", e);
    }
  }
}
