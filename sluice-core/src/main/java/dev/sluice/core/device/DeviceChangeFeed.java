package dev.sluice.core.device;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The devices whose poll answer may have changed, in the order the changes were recorded: every
 * server sharing the database follows it to drop cached poll answers that another server made
 * stale.
 */
public interface DeviceChangeFeed {

  /** One recorded change: its position in the feed, the device and when. */
  record Change(long seq, ControllerId device, Instant at) {
    public Change {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(at, "at");
    }
  }

  /** Records that the device's poll answer may have changed (in the changing transaction). */
  void record(ControllerId device, Instant at);

  /** Like {@link #record} of each device, in list order, with multi-row statements. */
  void recordAll(List<ControllerId> devices, Instant at);

  /** Changes with a position above {@code afterSeq}, in position order, at most {@code limit}. */
  List<Change> after(long afterSeq, int limit);

  /**
   * The changes at these positions that exist now (a follower asks again for positions it skipped:
   * on PostgreSQL a change can commit after one with a higher position).
   */
  List<Change> at(java.util.Collection<Long> seqs);

  /** The highest position recorded so far, 0 if none. */
  long latestSeq();

  /** Deletes changes recorded before {@code before}; returns how many. */
  int pruneBefore(Instant before);
}
