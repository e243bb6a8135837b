package dev.sluice.store.jdbi;

import dev.sluice.core.key.KeyName;
import dev.sluice.core.key.SealedKey;
import dev.sluice.core.key.SealedKeyRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Sealed online keys in {@code sealed_keys}. */
final class JdbiSealedKeyRepository implements SealedKeyRepository {
  private final Handle handle;

  JdbiSealedKeyRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public Optional<SealedKey> find(KeyName name) {
    return handle
        .createQuery("SELECT name, purpose, sealed, created_at FROM sealed_keys WHERE name = :name")
        .bind("name", name.value())
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  @Override
  public boolean insertIfAbsent(SealedKey key) {
    // ON CONFLICT DO NOTHING: a concurrent insert of the same name (another instance starting)
    // waits for the first to commit and then inserts nothing, on SQLite and PostgreSQL alike.
    return handle
            .createUpdate(
                """
                INSERT INTO sealed_keys (name, purpose, sealed, created_at)
                VALUES (:name, :purpose, :sealed, :createdAt)
                ON CONFLICT (name) DO NOTHING
                """)
            .bind("name", key.name().value())
            .bind("purpose", key.purpose())
            .bind("sealed", key.sealed())
            .bind("createdAt", Columns.millis(key.createdAt()))
            .execute()
        == 1;
  }

  @Override
  public List<SealedKey> list() {
    return handle
        .createQuery("SELECT name, purpose, sealed, created_at FROM sealed_keys ORDER BY name")
        .map((rs, ctx) -> row(rs))
        .list();
  }

  private static SealedKey row(ResultSet rs) throws SQLException {
    return new SealedKey(
        new KeyName(rs.getString("name")),
        rs.getString("purpose"),
        rs.getString("sealed"),
        Columns.instant(rs, "created_at"));
  }
}
