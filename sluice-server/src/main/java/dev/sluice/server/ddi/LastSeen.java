package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices' last-seen times, batched: a poll only records the time in memory, and {@link #runOnce}
 * (scheduled every few seconds) writes all recorded times, a bounded chunk of devices per
 * transaction, in controller id order. A quiet poll thus makes no database write of its own.
 */
public final class LastSeen {
  private static final Logger LOG = LoggerFactory.getLogger(LastSeen.class);

  /**
   * Devices per transaction. Under a fleet's full poll rate a run finds tens of thousands of
   * devices (3,333 polls a second for a million devices polling every 5 minutes); one transaction
   * for all of them held that many device rows locked (a device's configData write was seen waiting
   * behind it; a rollout's offer would) and that many bound rows in memory at once.
   */
  static final int CHUNK = 1_000;

  private final ConcurrentHashMap<ControllerId, Instant> pending = new ConcurrentHashMap<>();
  private final Transactions transactions;

  LastSeen(Transactions transactions) {
    this.transactions = transactions;
  }

  void seen(ControllerId device, Instant at) {
    pending.put(device, at);
  }

  /**
   * Writes the times recorded since the last run, in transactions of at most {@value #CHUNK}
   * devices; returns how many devices it wrote.
   */
  public int runOnce() {
    if (pending.isEmpty()) {
      return 0;
    }
    TreeMap<ControllerId, Instant> batch = new TreeMap<>();
    for (ControllerId id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    List<Map.Entry<ControllerId, Instant>> all = List.copyOf(batch.entrySet());
    int written = 0;
    for (int from = 0; from < all.size(); from += CHUNK) {
      Map<ControllerId, Instant> chunk = new TreeMap<>();
      all.subList(from, Math.min(all.size(), from + CHUNK))
          .forEach(e -> chunk.put(e.getKey(), e.getValue()));
      try {
        transactions.write(
            repos -> {
              repos.devices().touchLastSeen(chunk);
              return null;
            });
      } catch (RuntimeException e) {
        // Put this chunk and the rest back (unless a newer poll was recorded meanwhile) and try
        // again next time.
        all.subList(from, all.size())
            .forEach(x -> pending.merge(x.getKey(), x.getValue(), LastSeen::later));
        LOG.warn("could not record last-seen times; retrying", e);
        return written;
      }
      written += chunk.size();
    }
    return written;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
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
