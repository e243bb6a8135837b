package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.tuf.TufStorage;
import dev.sluice.store.db.Dialect;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/** TUF metadata files in {@code tuf_metadata}; the schema refuses updates and deletes. */
final class JdbiTufStorage implements TufStorage {
  // An arbitrary constant naming the TUF repository's advisory lock ("TUF" in ASCII).
  private static final long LOCK_KEY = 0x545546L;
  private final Handle handle;
  private final Dialect dialect;

  JdbiTufStorage(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public void lock() {
    // SQLite's write transactions (BEGIN IMMEDIATE) are serialized whole.
    if (dialect == Dialect.POSTGRESQL) {
      handle
          .createQuery("SELECT 1 AS locked FROM pg_advisory_xact_lock(:key)")
          .bind("key", LOCK_KEY)
          .mapTo(Integer.class)
          .one();
    }
  }

  @Override
  public OptionalLong latestVersion(String role) {
    return handle
        .createQuery("SELECT MAX(version) AS v FROM tuf_metadata WHERE role = :role")
        .bind("role", role)
        .map(
            (rs, ctx) -> {
              long v = rs.getLong("v");
              return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            })
        .one();
  }

  @Override
  public Optional<byte[]> find(String role, long version) {
    return handle
        .createQuery("SELECT bytes FROM tuf_metadata WHERE role = :role AND version = :version")
        .bind("role", role)
        .bind("version", version)
        .map((rs, ctx) -> rs.getBytes("bytes"))
        .findOne();
  }

  @Override
  public void insert(String role, long version, byte[] bytes, Instant at) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO tuf_metadata (role, version, bytes, created_at)
                VALUES (:role, :version, :bytes, :at)
                ON CONFLICT DO NOTHING
                """)
            .bind("role", role)
            .bind("version", version)
            .bind("bytes", bytes)
            .bind("at", Columns.millis(at))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS, "TUF metadata " + version + "." + role + " already exists");
    }
  }
}
