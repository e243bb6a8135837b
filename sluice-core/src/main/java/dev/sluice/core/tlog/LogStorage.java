package dev.sluice.core.tlog;

import dev.sluice.core.UnitOfWork;
import dev.sluice.trust.tlog.Hash;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The transparency log's storage, used inside one transaction of {@link UnitOfWork}. Entries and
 * the hashes of every perfect subtree are append-only (the schema refuses updates and deletes), so
 * a tree once committed can only grow. Sequencing rules live in {@link
 * dev.sluice.core.tlog.LogSequencer}, not here.
 */
public interface LogStorage {

  /** The committed tree (size 0 and the empty root before the first integration). */
  LogState state();

  /**
   * Like {@link #state()}, and holds a lock on the log-state row until the transaction ends, so
   * that at most one sequencer (across server instances) integrates at a time.
   */
  LogState lockState();

  /**
   * Records the new size and root; the caller holds the lock from {@link #lockState()}.
   *
   * @throws IllegalStateException if the size would shrink (the schema refuses it too)
   */
  void saveState(LogState state, Instant at);

  /** The log's verifier key (vkey) recorded on first start; empty until then. */
  Optional<String> verifierKey();

  /** Records the log's verifier key once; the caller holds the lock from {@link #lockState()}. */
  void saveVerifierKey(String vkey);

  /** The index of the integrated entry with this leaf hash. */
  Optional<Long> indexOf(Hash leafHash);

  /**
   * Queues an entry for sequencing.
   *
   * @return false (and changes nothing) if an entry with this leaf hash is already queued
   */
  boolean enqueue(Hash leafHash, byte[] entry, Instant at);

  /** Whether an entry with this leaf hash is queued. */
  boolean isPending(Hash leafHash);

  /** How many entries are queued. */
  long pendingCount();

  /** The oldest queued entries, in the order they were queued, at most {@code limit}. */
  List<PendingEntry> pending(int limit);

  /** Removes queued entries (after they were integrated or found to be duplicates). */
  void removePending(List<Long> sequences);

  /**
   * Stores integrated entries with consecutive indices starting at {@code firstIndex}.
   *
   * @throws dev.sluice.core.SluiceException.Conflict if an index or leaf hash is taken
   */
  void insertEntries(long firstIndex, List<PendingEntry> entries, Instant at);

  /** Stores new perfect-subtree hashes; each (level, index) is written once. */
  void insertHashes(List<StoredHash> hashes);

  /** The hash of the perfect subtree at (level, index), if stored. */
  Optional<Hash> hash(int level, long index);

  /** {@code count} consecutive stored hashes of one level, starting at {@code first}. */
  List<Hash> hashes(int level, long first, int count);

  /** {@code count} consecutive integrated entries starting at index {@code first}. */
  List<byte[]> entries(long first, int count);

  /** The newest signed checkpoint, by size. */
  Optional<SignedCheckpoint> latestCheckpoint();

  /** The signed checkpoint of exactly this size, if one was stored. */
  Optional<SignedCheckpoint> checkpoint(long size);

  /**
   * Stores a signed checkpoint; a second one for the same size is ignored (the first was served).
   *
   * @return whether it was stored
   */
  boolean insertCheckpoint(SignedCheckpoint checkpoint, Instant at);

  /**
   * One stored node: the root of the perfect subtree of {@code 2^level} leaves at {@code index}.
   */
  record StoredHash(int level, long index, Hash hash) {
    public StoredHash {
      if (level < 0 || level > 63 || index < 0) {
        throw new IllegalArgumentException("no tree node at level " + level + " index " + index);
      }
      java.util.Objects.requireNonNull(hash, "hash");
    }
  }

  /**
   * The log's size at the signing time of its stored checkpoints, newest first, at most {@code
   * limit} (for the transparency portal's size-over-time chart).
   */
  List<SizeAt> sizeHistory(int limit);

  /** The log's size when a checkpoint was signed. */
  record SizeAt(long size, Instant at) {
    public SizeAt {
      java.util.Objects.requireNonNull(at, "at");
    }
  }
}
