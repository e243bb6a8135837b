package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.tlog.LogState;
import dev.sluice.core.tlog.LogStorage;
import dev.sluice.core.tlog.PendingEntry;
import dev.sluice.core.tlog.SignedCheckpoint;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Dialect;
import dev.sluice.trust.tlog.Hash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The transparency log in {@code log_state} (one row), {@code log_pending}, {@code log_entries},
 * {@code log_hashes} and {@code log_checkpoints}; hashes and entries as raw bytes. The schema makes
 * entries, hashes and checkpoints append-only and the tree size non-decreasing.
 */
final class JdbiLogStorage implements LogStorage {
  private final Handle handle;
  private final Dialect dialect;

  JdbiLogStorage(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public LogState state() {
    return readState("");
  }

  @Override
  public LogState lockState() {
    // SQLite has no row locks: its write transactions (BEGIN IMMEDIATE) are serialized whole.
    return readState(dialect == Dialect.POSTGRESQL ? "FOR UPDATE" : "");
  }

  private LogState readState(String lock) {
    return handle
        .createQuery("SELECT tree_size, root_hash FROM log_state WHERE id = 1 <lock>")
        .define("lock", lock)
        .map((rs, ctx) -> new LogState(rs.getLong("tree_size"), new Hash(rs.getBytes("root_hash"))))
        .findOne()
        .orElseThrow(() -> new StoreException("the log_state row is missing"));
  }

  @Override
  public void saveState(LogState state, Instant at) {
    int updated =
        handle
            .createUpdate(
                """
                UPDATE log_state SET tree_size = :size, root_hash = :root, updated_at = :at
                WHERE id = 1 AND tree_size <= :size
                """)
            .bind("size", state.size())
            .bind("root", state.root().value())
            .bind("at", Columns.millis(at))
            .execute();
    if (updated != 1) {
      throw new IllegalStateException("the log's size cannot go back to " + state.size());
    }
  }

  @Override
  public Optional<String> verifierKey() {
    return handle
        .createQuery("SELECT vkey FROM log_state WHERE id = 1")
        .map((rs, ctx) -> Optional.ofNullable(rs.getString("vkey")))
        .one();
  }

  @Override
  public void saveVerifierKey(String vkey) {
    handle
        .createUpdate("UPDATE log_state SET vkey = :vkey WHERE id = 1")
        .bind("vkey", vkey)
        .execute();
  }

  @Override
  public Optional<Long> indexOf(Hash leafHash) {
    return handle
        .createQuery("SELECT idx FROM log_entries WHERE leaf_hash = :hash")
        .bind("hash", leafHash.value())
        .mapTo(Long.class)
        .findOne();
  }

  @Override
  public boolean enqueue(Hash leafHash, byte[] entry, Instant at) {
    return handle
            .createUpdate(
                """
                INSERT INTO log_pending (leaf_hash, entry, queued_at) VALUES (:hash, :entry, :at)
                ON CONFLICT (leaf_hash) DO NOTHING
                """)
            .bind("hash", leafHash.value())
            .bind("entry", entry)
            .bind("at", Columns.millis(at))
            .execute()
        == 1;
  }

  @Override
  public boolean isPending(Hash leafHash) {
    return handle
            .createQuery("SELECT count(*) FROM log_pending WHERE leaf_hash = :hash")
            .bind("hash", leafHash.value())
            .mapTo(Long.class)
            .one()
        > 0;
  }

  @Override
  public long pendingCount() {
    return handle.createQuery("SELECT count(*) FROM log_pending").mapTo(Long.class).one();
  }

  @Override
  public List<PendingEntry> pending(int limit) {
    return handle
        .createQuery("SELECT seq, leaf_hash, entry FROM log_pending ORDER BY seq LIMIT :limit")
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new PendingEntry(
                    rs.getLong("seq"), new Hash(rs.getBytes("leaf_hash")), rs.getBytes("entry")))
        .list();
  }

  @Override
  public void removePending(List<Long> sequences) {
    if (sequences.isEmpty()) {
      return;
    }
    PreparedBatch batch = handle.prepareBatch("DELETE FROM log_pending WHERE seq = :seq");
    sequences.forEach(seq -> batch.bind("seq", seq).add());
    batch.execute();
  }

  @Override
  public void insertEntries(long firstIndex, List<PendingEntry> entries, Instant at) {
    if (entries.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            """
            INSERT INTO log_entries (idx, leaf_hash, entry, integrated_at)
            VALUES (:idx, :hash, :entry, :at) ON CONFLICT DO NOTHING
            """);
    long index = firstIndex;
    for (PendingEntry entry : entries) {
      batch
          .bind("idx", index++)
          .bind("hash", entry.leafHash().value())
          .bind("entry", entry.entry())
          .bind("at", Columns.millis(at))
          .add();
    }
    int[] counts = batch.execute();
    for (int count : counts) {
      if (count == 0) {
        throw new Conflict(
            ConflictKind.ALREADY_EXISTS, "a log index or leaf hash is already integrated");
      }
    }
  }

  @Override
  public void insertHashes(List<StoredHash> hashes) {
    if (hashes.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO log_hashes (level, idx, hash) VALUES (:level, :idx, :hash)");
    for (StoredHash hash : hashes) {
      batch
          .bind("level", hash.level())
          .bind("idx", hash.index())
          .bind("hash", hash.hash().value())
          .add();
    }
    batch.execute();
  }

  @Override
  public Optional<Hash> hash(int level, long index) {
    return handle
        .createQuery("SELECT hash FROM log_hashes WHERE level = :level AND idx = :idx")
        .bind("level", level)
        .bind("idx", index)
        .map((rs, ctx) -> new Hash(rs.getBytes("hash")))
        .findOne();
  }

  @Override
  public List<Hash> hashes(int level, long first, int count) {
    List<Hash> hashes =
        handle
            .createQuery(
                """
                SELECT hash FROM log_hashes
                WHERE level = :level AND idx >= :first AND idx < :end ORDER BY idx
                """)
            .bind("level", level)
            .bind("first", first)
            .bind("end", first + count)
            .map((rs, ctx) -> new Hash(rs.getBytes("hash")))
            .list();
    if (hashes.size() != count) {
      throw new StoreException(
          "log_hashes holds " + hashes.size() + " of " + count + " hashes at level " + level);
    }
    return hashes;
  }

  @Override
  public List<byte[]> entries(long first, int count) {
    List<byte[]> entries =
        handle
            .createQuery(
                "SELECT entry FROM log_entries WHERE idx >= :first AND idx < :end ORDER BY idx")
            .bind("first", first)
            .bind("end", first + count)
            .map((rs, ctx) -> rs.getBytes("entry"))
            .list();
    if (entries.size() != count) {
      throw new StoreException("log_entries holds " + entries.size() + " of " + count + " entries");
    }
    return new ArrayList<>(entries);
  }

  @Override
  public Optional<SignedCheckpoint> latestCheckpoint() {
    return handle
        .createQuery("SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1")
        .map((rs, ctx) -> SignedCheckpoint.fromNote(rs.getString("note")))
        .findOne();
  }

  @Override
  public Optional<SignedCheckpoint> checkpoint(long size) {
    return handle
        .createQuery("SELECT note FROM log_checkpoints WHERE tree_size = :size")
        .bind("size", size)
        .map((rs, ctx) -> SignedCheckpoint.fromNote(rs.getString("note")))
        .findOne();
  }

  @Override
  public boolean insertCheckpoint(SignedCheckpoint checkpoint, Instant at) {
    return handle
            .createUpdate(
                """
                INSERT INTO log_checkpoints (tree_size, root_hash, note, signed_at)
                VALUES (:size, :root, :note, :at) ON CONFLICT (tree_size) DO NOTHING
                """)
            .bind("size", checkpoint.size())
            .bind("root", checkpoint.root().value())
            .bind("note", checkpoint.note())
            .bind("at", Columns.millis(at))
            .execute()
        == 1;
  }

  @Override
  public List<SizeAt> sizeHistory(int limit) {
    return handle
        .createQuery(
            "SELECT tree_size, signed_at FROM log_checkpoints ORDER BY tree_size DESC LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> new SizeAt(rs.getLong("tree_size"), Columns.instant(rs, "signed_at")))
        .list();
  }
}
