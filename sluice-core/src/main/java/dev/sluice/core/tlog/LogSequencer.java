package dev.sluice.core.tlog;

import dev.sluice.core.UnitOfWork;
import dev.sluice.core.tlog.LogStorage.StoredHash;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.HashReader;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.MerkleTree;
import dev.sluice.trust.tlog.NoteSigner;
import dev.sluice.trust.tlog.SignedNote;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns queued entries into a signed tree, in two steps that make the log crash-safe and fork-free:
 *
 * <ol>
 *   <li>{@link #integrate()}: one write transaction locks the log state, gives every queued entry
 *       the next index, stores the entries and the new perfect-subtree hashes, and records the new
 *       size and root. Nothing is visible, and no index exists, until it commits.
 *   <li>{@link #signLatest()}: only after the commit, signs a checkpoint for the committed size and
 *       stores it; {@code /log/checkpoint} serves only stored checkpoints.
 * </ol>
 *
 * A crash between the two leaves a committed tree without a checkpoint; the next run (and every
 * start) signs it, and since the root is recomputed from the same stored hashes, and Ed25519 is
 * deterministic, the checkpoint is the one that would have been signed. Before signing, the stored
 * tree must reproduce the committed root and the root of the newest checkpoint already signed;
 * otherwise it refuses ({@link LogCorruptedException}) instead of signing a fork.
 */
public final class LogSequencer {
  /** Entries integrated per transaction; a longer queue takes several transactions. */
  public static final int MAX_BATCH = 4096;

  private final UnitOfWork<? extends LogPorts> transactions;
  private final Supplier<NoteSigner> signer;
  private final Clock clock;
  private final Runnable onCheckpoint;

  LogSequencer(
      UnitOfWork<? extends LogPorts> transactions,
      Supplier<NoteSigner> signer,
      Clock clock,
      Runnable onCheckpoint) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onCheckpoint = Objects.requireNonNull(onCheckpoint, "onCheckpoint");
  }

  /**
   * Integrates everything queued, then signs the result.
   *
   * @return the new checkpoint, or empty if there was nothing to do
   */
  public Optional<SignedCheckpoint> runOnce() {
    while (integrate().map(batch -> batch.integrated() == MAX_BATCH).orElse(false)) {
      // A full batch: more may be queued.
    }
    return signLatest();
  }

  /** What one integration did. */
  public record Batch(LogState state, int integrated) {}

  /**
   * Step 1: integrates up to {@link #MAX_BATCH} queued entries in one write transaction.
   *
   * @return the new state, or empty if nothing was queued
   */
  public Optional<Batch> integrate() {
    return transactions.write(
        repos -> {
          LogStorage log = repos.log();
          LogState state = log.lockState();
          List<PendingEntry> pending = log.pending(MAX_BATCH);
          if (pending.isEmpty()) {
            return Optional.<Batch>empty();
          }
          requireRoot(log, state.size(), state.root(), "the committed tree");
          // An entry queued while an identical one was being integrated is dropped here.
          List<PendingEntry> fresh = new ArrayList<>();
          for (PendingEntry entry : pending) {
            if (log.indexOf(entry.leafHash()).isEmpty()) {
              fresh.add(entry);
            }
          }
          log.removePending(pending.stream().map(PendingEntry::sequence).toList());
          if (fresh.isEmpty()) {
            return Optional.<Batch>empty();
          }
          Tree tree = new Tree(log);
          long size = state.size();
          for (PendingEntry entry : fresh) {
            tree.append(size++, entry.leafHash());
          }
          LogState next = new LogState(size, MerkleTree.root(size, tree));
          Instant now = clock.instant();
          log.insertEntries(state.size(), fresh, now);
          log.insertHashes(tree.added());
          log.saveState(next, now);
          return Optional.of(new Batch(next, fresh.size()));
        });
  }

  /**
   * Step 2: signs and stores a checkpoint for the committed size if it has none yet.
   *
   * @return the new checkpoint, or empty if the committed size was already signed
   * @throws LogCorruptedException if the stored tree does not reproduce its committed root or the
   *     newest signed checkpoint, or the newest checkpoint is larger than the committed tree
   */
  public Optional<SignedCheckpoint> signLatest() {
    LogState state =
        transactions.read(
            repos -> {
              LogStorage log = repos.log();
              LogState committed = log.state();
              Optional<SignedCheckpoint> latest = log.latestCheckpoint();
              if (latest.isPresent() && latest.get().size() > committed.size()) {
                throw new LogCorruptedException(
                    "the log served a checkpoint of size "
                        + latest.get().size()
                        + " but only "
                        + committed.size()
                        + " entries are stored (was the database restored from a backup?);"
                        + " refusing to sign, which would fork the log");
              }
              if (latest.isPresent() && latest.get().size() == committed.size()) {
                if (!latest.get().root().equals(committed.root())) {
                  throw new LogCorruptedException(
                      "the checkpoint of size " + committed.size() + " has another root");
                }
                return null;
              }
              requireRoot(log, committed.size(), committed.root(), "the committed tree");
              latest.ifPresent(
                  c -> requireRoot(log, c.size(), c.root(), "the checkpoint of size " + c.size()));
              return committed;
            });
    if (state == null) {
      return Optional.empty();
    }
    NoteSigner key = signer.get();
    Checkpoint checkpoint = new Checkpoint(key.name(), state.size(), state.root());
    SignedCheckpoint signed =
        new SignedCheckpoint(checkpoint, SignedNote.sign(checkpoint.toBody(), key));
    transactions.write(repos -> repos.log().insertCheckpoint(signed, clock.instant()));
    onCheckpoint.run();
    return Optional.of(signed);
  }

  private static void requireRoot(LogStorage log, long size, Hash expected, String what) {
    Hash actual = MerkleTree.root(size, new Tree(log));
    if (!actual.equals(expected)) {
      throw new LogCorruptedException(
          "the stored hashes give root "
              + actual
              + " for size "
              + size
              + " but "
              + what
              + " has root "
              + expected);
    }
  }

  /** The stored tree plus the hashes added in this transaction. */
  private static final class Tree implements HashReader {
    private final LogStorage log;
    private final Map<Node, Hash> added = new HashMap<>();
    private final List<StoredHash> order = new ArrayList<>();

    Tree(LogStorage log) {
      this.log = log;
    }

    /** Adds leaf {@code index} and every perfect subtree it completes (RFC 9162 §2.1.1). */
    void append(long index, Hash leafHash) {
      Hash carry = leafHash;
      put(0, index, carry);
      for (int level = 0; ((index >>> level) & 1) == 1; level++) {
        Hash left = hash(level, (index >>> level) - 1);
        carry = MerkleHash.node(left, carry);
        put(level + 1, index >>> (level + 1), carry);
      }
    }

    List<StoredHash> added() {
      return List.copyOf(order);
    }

    @Override
    public Hash hash(int level, long index) {
      Hash hash = added.get(new Node(level, index));
      if (hash != null) {
        return hash;
      }
      return log.hash(level, index)
          .orElseThrow(
              () ->
                  new LogCorruptedException(
                      "no stored hash at level " + level + " index " + index));
    }

    private void put(int level, long index, Hash hash) {
      added.put(new Node(level, index), hash);
      order.add(new StoredHash(level, index, hash));
    }

    private record Node(int level, long index) {}
  }
}
