package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.publication.Publication;
import dev.sluice.core.publication.PublicationStorage;
import dev.sluice.core.publication.ReleaseRecord;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.tlog.Hash;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Publications in {@code publications}, one row per release and kind. */
final class JdbiPublicationStorage implements PublicationStorage {
  private static final String COLUMNS = "release_id, kind, record, leaf_hash, state, created_at";
  private final Handle handle;

  JdbiPublicationStorage(Handle handle) {
    this.handle = handle;
  }

  @Override
  public Optional<Publication> find(ReleaseId release, ReleaseRecord.Kind kind) {
    return handle
        .createQuery(
            "SELECT " + COLUMNS + " FROM publications WHERE release_id = :id AND kind = :kind")
        .bind("id", release.value())
        .bind("kind", kind.wireName())
        .map(JdbiPublicationStorage::row)
        .findOne();
  }

  @Override
  public void insert(Publication p) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO publications (release_id, kind, record, leaf_hash, state, created_at)
                VALUES (:id, :kind, :record, :leaf, :state, :at)
                ON CONFLICT DO NOTHING
                """)
            .bind("id", p.releaseId().value())
            .bind("kind", p.kind().wireName())
            .bind("record", p.record())
            .bind("leaf", p.leafHash().value())
            .bind("state", p.state().wireName())
            .bind("at", Columns.millis(p.createdAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "release " + p.releaseId() + " already has a " + p.kind().wireName() + " record");
    }
  }

  @Override
  public void markDone(ReleaseId release, ReleaseRecord.Kind kind, Instant at) {
    handle
        .createUpdate(
            """
            UPDATE publications SET state = 'done', finished_at = :at
            WHERE release_id = :id AND kind = :kind
            """)
        .bind("id", release.value())
        .bind("kind", kind.wireName())
        .bind("at", Columns.millis(at))
        .execute();
  }

  @Override
  public void markAwaitingSignature(ReleaseId release, ReleaseRecord.Kind kind) {
    handle
        .createUpdate(
            """
            UPDATE publications SET state = 'awaiting_signature'
            WHERE release_id = :id AND kind = :kind AND state = 'logged'
            """)
        .bind("id", release.value())
        .bind("kind", kind.wireName())
        .execute();
  }

  @Override
  public List<Publication> unfinished() {
    return inState(Publication.State.LOGGED);
  }

  @Override
  public List<Publication> awaitingSignature() {
    return inState(Publication.State.AWAITING_SIGNATURE);
  }

  private List<Publication> inState(Publication.State state) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM publications WHERE state = :state ORDER BY created_at, release_id")
        .bind("state", state.wireName())
        .map(JdbiPublicationStorage::row)
        .list();
  }

  private static Publication row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Publication(
        new ReleaseId(rs.getString("release_id")),
        ReleaseRecord.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
        rs.getBytes("record"),
        new Hash(rs.getBytes("leaf_hash")),
        Publication.State.fromWireName(rs.getString("state")),
        Columns.instant(rs, "created_at"));
  }
}
