package dev.sluice.store.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.tlog.LogCorruptedException;
import dev.sluice.core.tlog.LogIdentityException;
import dev.sluice.core.tlog.LogPosition;
import dev.sluice.core.tlog.LogState;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.Scheduler;
import dev.sluice.core.tlog.SignedCheckpoint;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InMemoryHashReader;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.MerkleTree;
import dev.sluice.trust.tlog.NoteSigner;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.TileId;
import dev.sluice.trust.tlog.Tiles;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transparency log service on a real database, run unchanged on every dialect. Sequencing is
 * driven by hand ({@link TransparencyLog#sequencer()}); the scheduler given to the log never runs
 * anything, so each test decides exactly when integration and signing happen.
 */
abstract class LogContract {
  private static final String ORIGIN = "log.example.test/sluice";
  private static final Scheduler NEVER = (task, delay) -> () -> {};
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

  private final NoteSigner signer = NoteSigner.generate(ORIGIN);
  private final List<TransparencyLog> logs = new ArrayList<>();
  private final List<Database> extraPools = new ArrayList<>();
  private TestDatabase test;
  private Transactions tx;
  private TransparencyLog log;

  protected abstract Dialect dialect();

  @BeforeEach
  void startLogOnAFreshDatabase() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
    log = open(tx, signer);
  }

  @AfterEach
  void closeEverything() {
    logs.forEach(TransparencyLog::close);
    extraPools.forEach(Database::close);
    if (test != null) {
      try {
        assertThat(test.database().activeConnections()).as("connections leaked").isZero();
      } finally {
        test.close();
      }
    }
  }

  private TransparencyLog open(Transactions transactions, NoteSigner key) {
    TransparencyLog opened =
        new TransparencyLog(
            transactions,
            key,
            CLOCK,
            NEVER,
            TransparencyLog.DEFAULT_INTERVAL,
            e -> {
              throw e;
            });
    logs.add(opened);
    opened.start();
    return opened;
  }

  private static byte[] entry(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> entries(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> entry(prefix + "-" + i)).toList();
  }

  private static Hash rootOf(List<byte[]> entries) {
    return MerkleTree.root(entries.stream().map(MerkleHash::leaf).toList());
  }

  private long pendingCount() {
    return tx.read(r -> r.log().pendingCount());
  }

  private LogState storedState() {
    return tx.read(r -> r.log().state());
  }

  private Optional<SignedCheckpoint> storedCheckpoint(long size) {
    return tx.read(r -> r.log().checkpoint(size));
  }

  private Optional<Long> storedIndex(Hash leafHash) {
    return tx.read(r -> r.log().indexOf(leafHash));
  }

  private List<byte[]> storedEntries(int count) {
    return tx.read(r -> r.log().entries(0, count));
  }

  // ---- checkpoints and sequencing

  @Test
  void anEmptyLogHasASignedCheckpointOfSizeZeroWithTheEmptyRoot() {
    SignedCheckpoint checkpoint = log.latestCheckpoint();

    assertThat(checkpoint.size()).isZero();
    assertThat(checkpoint.root()).isEqualTo(MerkleHash.emptyRoot());
    assertThat(checkpoint.origin()).isEqualTo(ORIGIN);
    Checkpoint opened =
        Checkpoint.fromVerifiedNote(SignedNote.open(checkpoint.noteBytes(), signer.verifier()));
    assertThat(opened).isEqualTo(checkpoint.checkpoint());
  }

  @Test
  void aLogWhoseKeyIsStillBeingOpenedAsksForItOnlyWhenItStartsAndThenSignsWithIt() {
    List<String> asked = new ArrayList<>();
    NoteSigner later = NoteSigner.generate(ORIGIN);
    TestDatabase other = TestDatabases.fresh(dialect());
    try {
      TransparencyLog opening =
          new TransparencyLog(
              new JdbiTransactions(other.database()),
              () -> {
                asked.add("key");
                return later;
              },
              CLOCK,
              NEVER,
              TransparencyLog.DEFAULT_INTERVAL,
              e -> {
                throw e;
              });
      logs.add(opening);
      assertThat(asked).isEmpty();

      opening.start();

      assertThat(asked).isNotEmpty();
      assertThat(opening.verifier().vkey()).isEqualTo(later.verifier().vkey());
      SignedCheckpoint checkpoint = opening.latestCheckpoint();
      assertThat(
              Checkpoint.fromVerifiedNote(
                  SignedNote.open(checkpoint.noteBytes(), later.verifier())))
          .isEqualTo(checkpoint.checkpoint());
      opening.close();
    } finally {
      other.close();
    }
  }

  @Test
  void aKeyThatCannotBeOpenedFailsTheStartAndNothingIsSigned() {
    TestDatabase other = TestDatabases.fresh(dialect());
    try {
      Transactions otherTx = new JdbiTransactions(other.database());
      TransparencyLog opening =
          new TransparencyLog(
              otherTx,
              () -> {
                throw new IllegalStateException("wrong passphrase");
              },
              CLOCK,
              NEVER,
              TransparencyLog.DEFAULT_INTERVAL,
              e -> {
                throw e;
              });
      logs.add(opening);

      assertThatThrownBy(opening::start).hasMessage("wrong passphrase");
      Optional<SignedCheckpoint> signed = otherTx.read(r -> r.log().latestCheckpoint());
      assertThat(signed).isEmpty();
      opening.close();
    } finally {
      other.close();
    }
  }

  @Test
  void entriesQueuedTogetherAreIntegratedInOneBatchUnderOneCheckpoint() {
    List<byte[]> batch = entries("release", 5);
    List<LogTicket> tickets = new ArrayList<>();
    batch.forEach(e -> tickets.add(log.append(e)));

    assertThat(tickets).allMatch(t -> t.index().isEmpty());
    assertThat(log.indexOf(tickets.get(0).leafHash())).isEmpty();
    assertThat(log.latestCheckpoint().size()).isZero();

    Optional<SignedCheckpoint> signed = log.sequencer().runOnce();

    assertThat(signed).isPresent();
    assertThat(signed.get().size()).isEqualTo(5);
    assertThat(signed.get().root()).isEqualTo(rootOf(batch));
    assertThat(storedCheckpoint(0)).isPresent();
    assertThat(storedCheckpoint(5)).contains(signed.get());
    for (int i = 0; i < 5; i++) {
      assertThat(log.indexOf(tickets.get(i).leafHash())).contains((long) i);
    }
    assertThat(log.sequencer().runOnce()).as("nothing left to do").isEmpty();
  }

  @Test
  void anIdenticalEntryGetsTheSameTicketAndIsLoggedOnce() {
    LogTicket first = log.append(entry("same"));
    LogTicket again = log.append(entry("same"));

    assertThat(again).isEqualTo(first);
    assertThat(pendingCount()).isEqualTo(1);

    log.sequencer().runOnce();
    LogTicket afterwards = log.append(entry("same"));

    assertThat(afterwards).isEqualTo(LogTicket.integrated(first.leafHash(), 0));
    assertThat(log.sequencer().runOnce()).isEmpty();
    assertThat(log.latestCheckpoint().size()).isEqualTo(1);
  }

  @Test
  void awaitIntegratedReturnsTheIndexWithACheckpointAndAVerifiedInclusionProof() {
    log.appendAll(entries("early", 3));
    LogTicket ticket = log.append(entry("mine"));

    assertThat(log.awaitIntegrated(ticket, Duration.ZERO)).as("not sequenced yet").isEmpty();
    log.sequencer().runOnce();
    LogPosition position = log.awaitIntegrated(ticket, Duration.ZERO).orElseThrow();

    assertThat(position.index()).isEqualTo(3);
    assertThat(position.checkpoint()).isEqualTo(log.latestCheckpoint());
    InclusionProofs.verify(
        3,
        4,
        MerkleHash.leaf(entry("mine")),
        position.inclusionProof(),
        position.checkpoint().root());
  }

  @Test
  void awaitIntegratedWakesUpWhenAnotherThreadSignsTheCheckpoint() throws Exception {
    LogTicket ticket = log.append(entry("waited for"));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<LogPosition>> waiting =
          executor.submit(() -> log.awaitIntegrated(ticket, Duration.ofSeconds(30)));
      log.sequencer().runOnce();
      assertThat(waiting.get().orElseThrow().index()).isZero();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void entriesLargerThanABundleAllowsAreRefused() {
    assertThatThrownBy(() -> log.append(new byte[65536]))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThat(log.append(new byte[65535]).index()).isEmpty();
  }

  // ---- crash safety

  @Test
  void aCrashAfterTheCommitBeforeSigningIsRepairedOnRestartWithTheSameRoot() {
    List<byte[]> batch = entries("crash", 7);
    log.appendAll(batch);

    LogState committed = log.sequencer().integrate().orElseThrow().state(); // ...then the crash
    log.close();

    assertThat(committed.root()).isEqualTo(rootOf(batch));
    assertThat(log.latestCheckpoint().size()).as("nothing was signed").isZero();
    assertThat(log.indexOf(MerkleHash.leaf(batch.get(0)))).as("no index served").isEmpty();

    TransparencyLog restarted = open(tx, signer);

    SignedCheckpoint recovered = restarted.latestCheckpoint();
    assertThat(recovered.size()).isEqualTo(7);
    assertThat(recovered.root()).isEqualTo(committed.root());
    SignedNote.open(recovered.noteBytes(), signer.verifier());
  }

  @Test
  void aCrashBeforeTheCommitLeavesEverythingPendingAndExposesNoIndex() {
    List<byte[]> batch = entries("lost", 4);
    log.appendAll(batch);
    CrashingTransactions crashing = new CrashingTransactions(tx);
    TransparencyLog sequencerThatCrashes = open(crashing, signer);

    crashing.crashBeforeNextCommit();
    assertThatThrownBy(() -> sequencerThatCrashes.sequencer().integrate())
        .isInstanceOf(SimulatedCrash.class);

    assertThat(pendingCount()).isEqualTo(4);
    assertThat(storedState()).isEqualTo(LogState.empty());
    assertThat(storedIndex(MerkleHash.leaf(batch.get(0)))).isEmpty();
    assertThat(log.latestCheckpoint().size()).isZero();

    assertThat(sequencerThatCrashes.sequencer().runOnce().orElseThrow().root())
        .isEqualTo(rootOf(batch));
  }

  @Test
  void theSequencerRefusesToSignATreeThatContradictsWhatItSigned() {
    log.appendAll(entries("signed", 3));
    log.sequencer().runOnce();
    test.database()
        .jdbi()
        .useHandle(
            h -> {
              allowTampering(h, "log_hashes");
              h.execute("UPDATE log_hashes SET hash = ? WHERE level = 1 AND idx = 0", new byte[32]);
            });
    log.append(entry("next"));

    assertThatThrownBy(() -> log.sequencer().runOnce()).isInstanceOf(LogCorruptedException.class);
    assertThat(log.latestCheckpoint().size()).isEqualTo(3);
  }

  @Test
  void integratedEntriesCannotBeChangedOrRemoved() {
    log.append(entry("permanent"));
    log.sequencer().runOnce();

    assertThatThrownBy(
            () ->
                test.database()
                    .jdbi()
                    .useHandle(h -> h.execute("UPDATE log_entries SET entry = ?", new byte[1])))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () -> test.database().jdbi().useHandle(h -> h.execute("DELETE FROM log_checkpoints")))
        .hasMessageContaining("append-only");
  }

  @Test
  void aServerWithAnotherLogKeyIsRefused() {
    TransparencyLog impostor =
        new TransparencyLog(
            tx,
            NoteSigner.generate(ORIGIN),
            CLOCK,
            NEVER,
            TransparencyLog.DEFAULT_INTERVAL,
            e -> {});
    logs.add(impostor);

    assertThatThrownBy(impostor::start)
        .isInstanceOf(LogIdentityException.class)
        .hasMessageContaining(signer.verifier().vkey());
  }

  // ---- reads: tiles and proofs

  @Test
  void tilesAndProofsOfA600EntryLogVerifyWithTheTrustLibrary() {
    List<byte[]> first = entries("a", 300);
    List<byte[]> second = entries("b", 300);
    log.appendAll(first);
    SignedCheckpoint older = log.sequencer().runOnce().orElseThrow();
    log.appendAll(second);
    SignedCheckpoint newer = log.sequencer().runOnce().orElseThrow();
    List<byte[]> all = new ArrayList<>(first);
    all.addAll(second);

    TileHashReader tiles =
        TileAudit.verifyHashTiles(newer.size(), newer.root(), path -> log.tile(TileId.parse(path)));
    for (EntryBundleId bundle : Tiles.entryBundles(newer.size())) {
      TileAudit.verifyEntryBundle(bundle, log.tile(bundle), tiles);
    }
    for (long index : new long[] {0, 255, 256, 299, 300, 511, 599}) {
      InclusionProofs.verify(
          index,
          600,
          MerkleHash.leaf(all.get((int) index)),
          log.inclusionProof(index, 600),
          newer.root());
    }
    ConsistencyProofs.verify(300, 600, older.root(), newer.root(), log.consistencyProof(300, 600));
    assertThat(log.tile(TileId.parse("tile/0/002.p/88"))).hasSize(88 * 32);
    assertThat(log.tile(TileId.parse("tile/0/001.p/44")))
        .as("a partial tile of an older size stays available")
        .hasSize(44 * 32);
  }

  /** Counts the read transactions a log runs, on the real database underneath. */
  private static final class CountingReads implements Transactions {
    private final Transactions delegate;
    private final java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();

    CountingReads(Transactions delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T write(Function<? super Repositories, T> work) {
      return delegate.write(work);
    }

    @Override
    public <T> T read(Function<? super Repositories, T> work) {
      reads.incrementAndGet();
      return delegate.read(work);
    }

    int reads() {
      return reads.get();
    }
  }

  @Test
  void proofsAndHashTilesReadOnceAreServedFromMemoryWithoutADatabaseTransaction() {
    CountingReads counting = new CountingReads(tx);
    TransparencyLog counted = open(counting, signer);
    List<byte[]> all = entries("m", 700);
    counted.appendAll(all);
    SignedCheckpoint signed = counted.sequencer().runOnce().orElseThrow();
    long[] indices = {0, 1, 255, 256, 300, 511, 512, 698, 699};

    // Cold: each answer reads what it lacks, in at most one read transaction of its own (plus one
    // for the newest checkpoint the first time).
    int before = counting.reads();
    counted.inclusionProof(5, 700);
    assertThat(counting.reads() - before).isBetween(1, 2);
    for (long index : indices) {
      counted.inclusionProof(index, 700);
      counted.consistencyProof(index + 1, 700);
    }
    counted.tile(TileId.parse("tile/0/000"));
    counted.tile(TileId.parse("tile/0/001"));
    counted.tile(TileId.parse("tile/0/002.p/188"));
    counted.tile(TileId.parse("tile/1/000.p/2"));

    // Warm: the same and narrower answers again cost no transaction and still verify.
    int warm = counting.reads();
    for (long index : indices) {
      InclusionProofs.verify(
          index,
          700,
          MerkleHash.leaf(all.get((int) index)),
          counted.inclusionProof(index, 700),
          signed.root());
      ConsistencyProofs.verify(
          index + 1,
          700,
          rootOf(all.subList(0, (int) index + 1)),
          signed.root(),
          counted.consistencyProof(index + 1, 700));
      InclusionProofs.verify(
          index / 2,
          index + 1,
          MerkleHash.leaf(all.get((int) (index / 2))),
          counted.inclusionProof(index / 2, index + 1),
          rootOf(all.subList(0, (int) index + 1)));
    }
    TileHashReader tiles =
        TileAudit.verifyHashTiles(700, signed.root(), path -> counted.tile(TileId.parse(path)));
    assertThat(tiles).isNotNull();
    assertThat(counted.tile(TileId.parse("tile/0/001.p/44")))
        .isEqualTo(log.tile(TileId.parse("tile/0/001.p/44")));
    assertThat(counting.reads()).as("read transactions once warm").isEqualTo(warm);
  }

  @Test
  void aLogServesProofsAndTilesOfATreeSignedByAnotherInstanceAfterItsOwnReads() {
    CountingReads counting = new CountingReads(tx);
    TransparencyLog reader = open(counting, signer);
    log.appendAll(entries("p", 100));
    log.sequencer().runOnce();
    reader.inclusionProof(10, 100);
    assertThatThrownBy(() -> reader.tile(TileId.parse("tile/0/000")))
        .isInstanceOf(SluiceException.NotFound.class);

    List<byte[]> more = entries("q", 200);
    log.appendAll(more);
    SignedCheckpoint grown = log.sequencer().runOnce().orElseThrow();

    assertThat(reader.tile(TileId.parse("tile/0/000")))
        .isEqualTo(log.tile(TileId.parse("tile/0/000")));
    InclusionProofs.verify(
        250, 300, MerkleHash.leaf(more.get(150)), reader.inclusionProof(250, 300), grown.root());
    assertThatThrownBy(() -> reader.inclusionProof(0, 301))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }

  @Test
  void tilesAndProofsBeyondTheSignedTreeDoNotExist() {
    log.appendAll(entries("x", 10));
    log.sequencer().runOnce();
    log.append(entry("not yet signed"));
    log.sequencer().integrate();

    assertThatThrownBy(() -> log.tile(TileId.parse("tile/0/000.p/11")))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(() -> log.tile(TileId.parse("tile/0/000")))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(() -> log.tile(TileId.parse("tile/1/000.p/1")))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(() -> log.inclusionProof(0, 11))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThatThrownBy(() -> log.inclusionProof(10, 10))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThatThrownBy(() -> log.consistencyProof(11, 10))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThat(log.indexOf(MerkleHash.leaf(entry("not yet signed")))).isEmpty();
  }

  // ---- concurrency

  @Test
  void concurrentAppendsAndSequencersAssignUniqueContiguousIndices() throws Exception {
    Database secondPool = Database.open(test.jdbcUrl());
    extraPools.add(secondPool);
    TransparencyLog otherInstance = open(new JdbiTransactions(secondPool), signer);
    int writers = 4;
    int perWriter = 40;
    AtomicBoolean appending = new AtomicBoolean(true);
    ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
    List<Future<?>> futures = new ArrayList<>();
    Set<Long> checkpointSizes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      for (int w = 0; w < writers; w++) {
        String prefix = "writer" + w;
        TransparencyLog target = w % 2 == 0 ? log : otherInstance;
        futures.add(
            executor.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = 0; i < perWriter; i++) {
                        target.append(entry(prefix + "-" + i));
                        target.append(entry("shared-" + i)); // every writer appends these too
                      }
                      return null;
                    }));
      }
      for (TransparencyLog sequencer : List.of(log, otherInstance)) {
        futures.add(
            executor.submit(
                (Callable<Void>)
                    () -> {
                      while (appending.get()) {
                        sequencer
                            .sequencer()
                            .runOnce()
                            .ifPresent(c -> checkpointSizes.add(c.size()));
                      }
                      return null;
                    }));
      }
      for (Future<?> f : futures.subList(0, writers)) {
        f.get();
      }
      appending.set(false);
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      executor.shutdownNow();
    }
    log.sequencer().runOnce();

    int expected = writers * perWriter + perWriter;
    SignedCheckpoint last = log.latestCheckpoint();
    assertThat(last.size()).isEqualTo(expected);
    List<byte[]> byIndex = storedEntries(expected);
    Set<String> distinct = new HashSet<>();
    byIndex.forEach(e -> distinct.add(new String(e, StandardCharsets.UTF_8)));
    assertThat(distinct).hasSize(expected);
    InMemoryHashReader tree = new InMemoryHashReader();
    byIndex.forEach(tree::appendEntry);
    assertThat(tree.root()).isEqualTo(last.root());
    for (long size : checkpointSizes) {
      SignedCheckpoint earlier = storedCheckpoint(size).orElseThrow();
      ConsistencyProofs.verify(
          size, last.size(), earlier.root(), last.root(), log.consistencyProof(size, last.size()));
    }
  }

  // ---- helpers

  private void allowTampering(Handle h, String table) {
    switch (dialect()) {
      case SQLITE -> h.execute("DROP TRIGGER " + table + "_no_update");
      case POSTGRESQL -> h.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER");
    }
  }

  /** Thrown in place of a process dying just before its transaction commits. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash before commit");
    }
  }

  /** Real transactions that can be told to fail after the work, so the work rolls back. */
  static final class CrashingTransactions implements Transactions {
    private final Transactions delegate;
    private volatile boolean crash;

    CrashingTransactions(Transactions delegate) {
      this.delegate = delegate;
    }

    void crashBeforeNextCommit() {
      crash = true;
    }

    @Override
    public <T> T write(Function<? super Repositories, T> work) {
      return delegate.write(
          repos -> {
            T result = work.apply(repos);
            if (crash) {
              crash = false;
              throw new SimulatedCrash();
            }
            return result;
          });
    }

    @Override
    public <T> T read(Function<? super Repositories, T> work) {
      return delegate.read(work);
    }
  }
}
