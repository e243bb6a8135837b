package dev.sluice.store.jdbi;

import dev.sluice.core.session.ConsoleSession;
import dev.sluice.core.session.ConsoleSessionRepository;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Console sessions in {@code console_sessions}. */
final class JdbiConsoleSessionRepository implements ConsoleSessionRepository {
  private final Handle handle;

  JdbiConsoleSessionRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(ConsoleSession session) {
    handle
        .createUpdate(
            """
            INSERT INTO console_sessions (id_sha256, sealed_token, csrf, created_at, last_used_at)
            VALUES (:id, :sealedToken, :csrf, :createdAt, :lastUsedAt)
            """)
        .bind("id", session.id().hex())
        .bind("sealedToken", session.sealedToken())
        .bind("csrf", session.csrf())
        .bind("createdAt", Columns.millis(session.createdAt()))
        .bind("lastUsedAt", Columns.millis(session.lastUsedAt()))
        .execute();
  }

  @Override
  public Optional<ConsoleSession> find(Sha256 id) {
    return handle
        .createQuery(
            """
            SELECT id_sha256, sealed_token, csrf, created_at, last_used_at
            FROM console_sessions WHERE id_sha256 = :id
            """)
        .bind("id", id.hex())
        .map(
            (rs, ctx) ->
                new ConsoleSession(
                    new Sha256(rs.getString("id_sha256")),
                    rs.getString("sealed_token"),
                    rs.getString("csrf"),
                    Columns.instant(rs, "created_at"),
                    Columns.instant(rs, "last_used_at")))
        .findOne();
  }

  @Override
  public void touch(Sha256 id, Instant lastUsedAt) {
    handle
        .createUpdate(
            """
            UPDATE console_sessions SET last_used_at = :at
            WHERE id_sha256 = :id AND last_used_at < :at
            """)
        .bind("id", id.hex())
        .bind("at", Columns.millis(lastUsedAt))
        .execute();
  }

  @Override
  public boolean delete(Sha256 id) {
    return handle
            .createUpdate("DELETE FROM console_sessions WHERE id_sha256 = :id")
            .bind("id", id.hex())
            .execute()
        == 1;
  }

  @Override
  public int deleteExpired(Instant idleBefore, Instant createdBefore) {
    return handle
        .createUpdate(
            """
            DELETE FROM console_sessions
            WHERE last_used_at < :idleBefore OR created_at < :createdBefore
            """)
        .bind("idleBefore", Columns.millis(idleBefore))
        .bind("createdBefore", Columns.millis(createdBefore))
        .execute();
  }

  @Override
  public long count() {
    return handle.createQuery("SELECT COUNT(*) FROM console_sessions").mapTo(Long.class).one();
  }
}
