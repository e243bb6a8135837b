package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.device.IdempotencyKeys;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Idempotency keys in {@code idempotency_keys}. */
final class JdbiIdempotencyKeys implements IdempotencyKeys {
  private final Handle handle;

  JdbiIdempotencyKeys(Handle handle) {
    this.handle = handle;
  }

  @Override
  public Optional<Entry> find(Sha256 key, Instant now) {
    return handle
        .createQuery(
            """
            SELECT key_sha256, request_sha256, salt, created_at, expires_at FROM idempotency_keys
            WHERE key_sha256 = :key AND expires_at > :now
            """)
        .bind("key", key.hex())
        .bind("now", Columns.millis(now))
        .map(
            (rs, ctx) ->
                new Entry(
                    new Sha256(rs.getString("key_sha256")),
                    new Sha256(rs.getString("request_sha256")),
                    new Sha256(rs.getString("salt")),
                    Columns.instant(rs, "created_at"),
                    Columns.instant(rs, "expires_at")))
        .findOne();
  }

  @Override
  public void insert(Entry entry) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO idempotency_keys
                  (key_sha256, request_sha256, salt, created_at, expires_at)
                VALUES (:key, :request, :salt, :createdAt, :expiresAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("key", entry.key().hex())
            .bind("request", entry.request().hex())
            .bind("salt", entry.salt().hex())
            .bind("createdAt", Columns.millis(entry.createdAt()))
            .bind("expiresAt", Columns.millis(entry.expiresAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.IDEMPOTENCY_KEY_REUSED,
          "a request with this Idempotency-Key is being answered; retry it in a moment");
    }
  }

  @Override
  public int pruneBefore(Instant now) {
    return handle
        .createUpdate("DELETE FROM idempotency_keys WHERE expires_at <= :now")
        .bind("now", Columns.millis(now))
        .execute();
  }
}
