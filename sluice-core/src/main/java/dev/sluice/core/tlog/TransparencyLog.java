package dev.sluice.core.tlog;

import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.EntryBundles;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.HashReader;
import dev.sluice.trust.tlog.HashTileId;
import dev.sluice.trust.tlog.HashTiles;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.NoteSigner;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.TileId;
import dev.sluice.trust.tlog.Tiles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The transparency log service: append entries, wait for them to be sequenced and covered by a
 * signed checkpoint, and read what the log serves (checkpoints, tiles, proofs). No SQL and no HTTP:
 * storage is a {@link LogStorage} reached through {@link UnitOfWork}, and the server maps the reads
 * to C2SP tlog-tiles paths.
 *
 * <p>Appending only queues an entry; a {@link LogSequencer} run, scheduled by a {@link
 * SequencerLoop} (at once on append, at most one checkpoint per interval, and polling every
 * interval), gives it an index and signs a checkpoint. An entry is identified by its RFC 9162 leaf
 * hash, so appending identical bytes twice yields the same entry. Everything served is bounded by
 * the newest stored checkpoint: an index, tile or proof beyond it does not exist yet.
 *
 * <p>Thread-safe. Call {@link #start()} once before use and {@link #close()} on shutdown.
 */
public final class TransparencyLog implements AutoCloseable {
  /** The default pause between checkpoints while entries wait. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private static final Duration MAX_WAIT_SLICE = Duration.ofSeconds(1);

  // Stands in for a hash not kept in memory while a proof's missing rows are found out.
  private static final Hash PLACEHOLDER = new Hash(new byte[Hash.SIZE]);

  private record RowAt(int level, long block) {}

  private final UnitOfWork<? extends LogPorts> transactions;
  private final Supplier<NoteSigner> signer;
  private final Clock clock;
  private final LogSequencer sequencer;
  private final SequencerLoop loop;
  private final Object checkpoints = new Object();
  private final HashRows rows = new HashRows(HashRows.MAX_ROWS);
  private long checkpointVersion;

  /**
   * @param signer the log key; its name is the log's origin
   * @param scheduler runs the sequencer; see {@link Scheduler}
   * @param interval the least time between two checkpoints while entries wait
   * @param onFailure told about a sequencer run that failed (the loop keeps going)
   */
  public TransparencyLog(
      UnitOfWork<? extends LogPorts> transactions,
      NoteSigner signer,
      Clock clock,
      Scheduler scheduler,
      Duration interval,
      Consumer<RuntimeException> onFailure) {
    this(
        transactions,
        constant(Objects.requireNonNull(signer, "signer")),
        clock,
        scheduler,
        interval,
        onFailure);
  }

  /**
   * A log whose key is still being opened (its derivation from a passphrase takes a while): the log
   * is built now and waits for the key when it first needs it, in {@link #start()} at the latest;
   * nothing is signed, and {@link #origin()} and {@link #verifier()} are not answered, before the
   * key is there.
   *
   * @param signer gives the log key, waiting for it if need be, the same key on every call; what it
   *     throws when the key cannot be opened, {@link #start()} throws
   */
  public TransparencyLog(
      UnitOfWork<? extends LogPorts> transactions,
      Supplier<NoteSigner> signer,
      Clock clock,
      Scheduler scheduler,
      Duration interval,
      Consumer<RuntimeException> onFailure) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sequencer = new LogSequencer(transactions, signer, clock, this::checkpointStored);
    this.loop =
        new SequencerLoop(
            () -> sequencer.runOnce().isPresent(), scheduler, clock, interval, onFailure);
  }

  private static Supplier<NoteSigner> constant(NoteSigner signer) {
    return () -> signer;
  }

  /**
   * Binds the log key to the database (on first start) or checks that it is the bound one, signs a
   * checkpoint for a committed tree that has none (recovery after a crash, or the empty log's), and
   * starts sequencing.
   *
   * @throws LogIdentityException if the database's log was started with another key
   * @throws LogCorruptedException if the stored tree contradicts what the log signed
   */
  public void start() {
    String vkey = signer.get().verifier().vkey();
    transactions.write(
        repos -> {
          LogStorage log = repos.log();
          log.lockState();
          Optional<String> stored = log.verifierKey();
          if (stored.isEmpty()) {
            log.saveVerifierKey(vkey);
          } else if (!stored.get().equals(vkey)) {
            throw new LogIdentityException(stored.get(), vkey);
          }
          return null;
        });
    sequencer.signLatest();
    loop.start();
  }

  /** The log's origin: the first line of its checkpoints and the name of its key. */
  public String origin() {
    return signer.get().name();
  }

  /** The log's public key, to verify its checkpoints. */
  public NoteVerifier verifier() {
    return signer.get().verifier();
  }

  /** The sequencer, for tests and tools that drive sequencing by hand. */
  public LogSequencer sequencer() {
    return sequencer;
  }

  /**
   * Queues an entry (at most 65535 bytes, the C2SP entry bundle limit). Identical bytes appended
   * again return the same ticket, with the index once the first copy is integrated.
   *
   * @throws SluiceException.InvalidInput if the entry is too large
   */
  public LogTicket append(byte[] entry) {
    LogTicket ticket = transactions.write(repos -> append(repos, entry));
    wake();
    return ticket;
  }

  /** Appends several entries in one transaction (see {@link #append(byte[])}). */
  public List<LogTicket> appendAll(List<byte[]> entries) {
    List<LogTicket> tickets =
        transactions.write(
            repos -> {
              List<LogTicket> out = new ArrayList<>(entries.size());
              for (byte[] entry : entries) {
                out.add(append(repos, entry));
              }
              return out;
            });
    wake();
    return tickets;
  }

  /**
   * Queues an entry inside the caller's write transaction, so that it is appended if and only if
   * the caller's other changes commit (e.g. a release becoming published). Call {@link #wake()}
   * after the commit; otherwise the entry waits for the next poll, at most one interval.
   */
  public LogTicket append(LogPorts repos, byte[] entry) {
    Objects.requireNonNull(entry, "entry");
    if (entry.length > EntryBundles.MAX_ENTRY_SIZE) {
      throw new SluiceException.InvalidInput(
          "a log entry is at most " + EntryBundles.MAX_ENTRY_SIZE + " bytes, got " + entry.length);
    }
    Hash leafHash = MerkleHash.leaf(entry);
    LogStorage log = repos.log();
    Optional<Long> index = log.indexOf(leafHash);
    if (index.isPresent()) {
      return LogTicket.integrated(leafHash, index.get());
    }
    log.enqueue(leafHash, entry, clock.instant());
    return LogTicket.pending(leafHash);
  }

  /** Asks the sequencer to run as soon as the batching interval allows. */
  public void wake() {
    loop.wake();
  }

  /**
   * Waits until the ticket's entry is integrated and covered by a stored checkpoint.
   *
   * @return the entry's position with its inclusion proof, or empty if {@code timeout} passed
   */
  public Optional<LogPosition> awaitIntegrated(LogTicket ticket, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      long version;
      synchronized (checkpoints) {
        version = checkpointVersion;
      }
      Optional<LogPosition> position = position(ticket.leafHash());
      long remaining = deadline - System.nanoTime();
      if (position.isPresent() || remaining <= 0) {
        return position;
      }
      wake();
      synchronized (checkpoints) {
        long slice = Math.min(remaining, MAX_WAIT_SLICE.toNanos());
        long sliceEnd = System.nanoTime() + slice;
        while (checkpointVersion == version && System.nanoTime() < sliceEnd) {
          try {
            long left = sliceEnd - System.nanoTime();
            checkpoints.wait(Math.max(1, left / 1_000_000), 0);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
          }
        }
      }
    }
  }

  /** The entry's position under the newest checkpoint, if a checkpoint covers it yet. */
  public Optional<LogPosition> position(Hash leafHash) {
    return transactions.read(
        repos -> {
          LogStorage log = repos.log();
          Optional<Long> index = log.indexOf(leafHash);
          Optional<SignedCheckpoint> checkpoint = log.latestCheckpoint();
          if (index.isEmpty() || checkpoint.isEmpty() || index.get() >= checkpoint.get().size()) {
            return Optional.empty();
          }
          List<Hash> proof =
              InclusionProofs.generate(index.get(), checkpoint.get().size(), reader(log));
          return Optional.of(new LogPosition(index.get(), leafHash, checkpoint.get(), proof));
        });
  }

  /** The index of the entry with this leaf hash, once a signed checkpoint covers it. */
  public Optional<Long> indexOf(Hash leafHash) {
    return transactions.read(
        repos -> {
          long size = latest(repos.log()).size();
          return repos.log().indexOf(leafHash).filter(index -> index < size);
        });
  }

  /** The newest signed checkpoint (the empty log has one of size 0 once started). */
  public SignedCheckpoint latestCheckpoint() {
    SignedCheckpoint latest = transactions.read(repos -> latest(repos.log()));
    rows.signed(latest.size());
    return latest;
  }

  /**
   * The RFC 9162 inclusion proof of entry {@code index} in the tree of size {@code treeSize}.
   * Computed from stored subtree hashes kept in memory once read ({@link HashRows}): a proof whose
   * hashes were all read before costs no database transaction, any other one read transaction.
   *
   * @throws SluiceException.InvalidInput unless {@code 0 <= index < treeSize <= } the newest
   *     checkpoint's size
   */
  public List<Hash> inclusionProof(long index, long treeSize) {
    requireSigned(treeSize, "tree_size");
    if (index < 0 || index >= treeSize) {
      throw new SluiceException.InvalidInput(
          "index must be in 0.." + (treeSize - 1) + ", got " + index);
    }
    return fromRows(reader -> InclusionProofs.generate(index, treeSize, reader));
  }

  /**
   * The RFC 9162 consistency proof from the tree of size {@code oldSize} to that of {@code
   * treeSize}, computed like {@link #inclusionProof}.
   *
   * @throws SluiceException.InvalidInput unless {@code 0 <= oldSize <= treeSize <= } the newest
   *     checkpoint's size
   */
  public List<Hash> consistencyProof(long oldSize, long treeSize) {
    requireSigned(treeSize, "tree_size");
    if (oldSize < 0 || oldSize > treeSize) {
      throw new SluiceException.InvalidInput(
          "old_size must be in 0.." + treeSize + ", got " + oldSize);
    }
    return fromRows(reader -> ConsistencyProofs.generate(oldSize, treeSize, reader));
  }

  /**
   * The bytes of a C2SP tlog-tiles hash tile or entry bundle of the newest checkpoint's tree (or of
   * an older tree: a partial tile of an earlier size stays valid). A hash tile read once is served
   * from memory afterwards (its bytes never change); entry bundles are read from storage.
   *
   * @throws SluiceException.NotFound if the tree does not (yet) hold that tile
   */
  public byte[] tile(TileId id) {
    return switch (id) {
      case HashTileId hashTile -> hashTile(hashTile);
      case EntryBundleId bundle -> {
        requireTile(id, size -> size);
        yield transactions.read(
            repos ->
                EntryBundles.encode(
                    repos.log().entries(bundle.index() * Tiles.WIDTH, bundle.width())));
      }
    };
  }

  /**
   * A hash tile's bytes when they are in memory and the largest signed tree seen holds the tile;
   * else null. Never reads storage (a server answers from its I/O thread with it, and asks {@link
   * #tile} otherwise).
   */
  public byte[] keptTile(HashTileId id) {
    int level = id.treeLevel();
    long seen = rows.signedSize();
    if (seen < 0 || !holds(id, level >= Long.SIZE ? 0 : seen >>> level)) {
      return null;
    }
    return rows.tile(level, id.index(), id.width());
  }

  private byte[] hashTile(HashTileId id) {
    int level = id.treeLevel();
    requireTile(id, size -> level >= Long.SIZE ? 0 : size >>> level);
    byte[] kept = rows.tile(level, id.index(), id.width());
    if (kept != null) {
      return kept;
    }
    return transactions.read(
        repos -> {
          readRow(repos.log(), level, id.index());
          byte[] read = rows.tile(level, id.index(), id.width());
          if (read == null) {
            throw new LogCorruptedException("tile " + id.path() + " is not in storage");
          }
          return read;
        });
  }

  /**
   * Runs a proof's generation over the kept rows; if a hash was missing, reads every missing row in
   * one read transaction and runs it again over what it read.
   */
  private List<Hash> fromRows(Function<HashReader, List<Hash>> generate) {
    Set<RowAt> missing = new HashSet<>();
    List<Hash> proof =
        generate.apply(
            (level, index) -> {
              Hash kept = rows.hash(level, index);
              if (kept == null) {
                missing.add(new RowAt(level, index / Tiles.WIDTH));
                return PLACEHOLDER;
              }
              return kept;
            });
    if (missing.isEmpty()) {
      return proof;
    }
    Map<RowAt, List<Hash>> read =
        transactions.read(
            repos -> {
              Map<RowAt, List<Hash>> out = new HashMap<>();
              for (RowAt row : missing) {
                out.put(row, readRow(repos.log(), row.level(), row.block()));
              }
              return out;
            });
    return generate.apply(
        (level, index) -> {
          List<Hash> row = read.get(new RowAt(level, index / Tiles.WIDTH));
          Hash hash =
              row != null && index % Tiles.WIDTH < row.size()
                  ? row.get((int) (index % Tiles.WIDTH))
                  : rows.hash(level, index);
          if (hash == null) {
            throw new LogCorruptedException("no stored hash at level " + level + " index " + index);
          }
          return hash;
        });
  }

  /**
   * Reads and keeps the row of stored hashes at ({@code level}, {@code block}) as far as the
   * largest signed tree seen holds it.
   */
  private List<Hash> readRow(LogStorage log, int level, long block) {
    long first = block * Tiles.WIDTH;
    int width = (int) Math.min(Tiles.WIDTH, (rows.signedSize() >>> level) - first);
    if (width < 1) {
      throw new LogCorruptedException(
          "no stored hash at level " + level + " index " + first + " in the signed tree");
    }
    List<Hash> hashes = log.hashes(level, first, width);
    rows.keep(level, block, HashTiles.encode(hashes));
    return hashes;
  }

  /** Stops sequencing; queued entries stay queued for the next start. */
  @Override
  public void close() {
    loop.close();
  }

  /**
   * Throws NotFound unless the largest signed tree seen holds the tile, reading the newest
   * checkpoint first when the one seen before is too small.
   */
  private void requireTile(TileId id, LongUnaryOperator countAtLevel) {
    long seen = rows.signedSize();
    if (seen >= 0 && holds(id, countAtLevel.applyAsLong(seen))) {
      return;
    }
    if (!holds(id, countAtLevel.applyAsLong(latestCheckpoint().size()))) {
      throw new SluiceException.NotFound("tile", id.path());
    }
  }

  private static boolean holds(TileId id, long countAtLevel) {
    // The first test keeps the multiplication from overflowing.
    return countAtLevel >= 0
        && id.index() <= countAtLevel / Tiles.WIDTH
        && id.index() * Tiles.WIDTH + id.width() <= countAtLevel;
  }

  private SignedCheckpoint latest(LogStorage log) {
    return log.latestCheckpoint()
        .orElseThrow(() -> new IllegalStateException("the transparency log was not started"));
  }

  /**
   * Throws InvalidInput unless {@code 1 <= treeSize <=} the newest checkpoint's size; the database
   * is read only when the largest signed size seen is smaller than {@code treeSize}.
   */
  private void requireSigned(long treeSize, String name) {
    if (treeSize >= 1 && treeSize <= rows.signedSize()) {
      return;
    }
    long size = latestCheckpoint().size();
    if (treeSize < 1 || treeSize > size) {
      throw new SluiceException.InvalidInput(
          name + " must be in 1.." + size + " (the newest checkpoint's size), got " + treeSize);
    }
  }

  private static HashReader reader(LogStorage log) {
    return (level, index) ->
        log.hash(level, index)
            .orElseThrow(
                () ->
                    new LogCorruptedException(
                        "no stored hash at level " + level + " index " + index));
  }

  private void checkpointStored() {
    synchronized (checkpoints) {
      checkpointVersion++;
      checkpoints.notifyAll();
    }
  }
}
