package dev.sluice.store.jdbi;

import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditFilters;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.audit.AuditTrail;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.store.db.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The audit trail in {@code audit_events}, which triggers keep append-only. Sequence numbers follow
 * commit order, so a reader paging with {@code afterSeq} never skips an event that commits late.
 */
final class JdbiAuditTrail implements AuditTrail {
  /** The PostgreSQL advisory lock key that orders audit appends (an arbitrary constant). */
  private static final long APPEND_LOCK = 0x511CEA0D17L;

  /** The column of each field an audit filter may name. */
  private static final Map<String, String> FILTER_COLUMNS =
      Map.of(
          AuditFilters.ACTOR.name(), "actor",
          AuditFilters.ACTION.name(), "action",
          AuditFilters.SUBJECT.name(), "subject",
          AuditFilters.AT.name(), "at");

  private final Handle handle;
  private final Dialect dialect;
  private final List<AuditEvent> appended;

  /**
   * @param appended receives every event this trail appends (the caller hands them on once the
   *     transaction committed)
   */
  JdbiAuditTrail(Handle handle, Dialect dialect, List<AuditEvent> appended) {
    this.handle = handle;
    this.dialect = dialect;
    this.appended = appended;
  }

  @Override
  public AuditEvent append(AuditEvent draft) {
    lockAppends();
    long seq =
        handle
            .createQuery(
                """
                INSERT INTO audit_events (at, actor, action, subject, detail_json)
                VALUES (:at, :actor, :action, :subject, :detail)
                RETURNING seq
                """)
            .bind("at", Columns.millis(draft.at()))
            .bind("actor", draft.actor())
            .bind("action", draft.action())
            .bind("subject", draft.subject())
            .bind("detail", Columns.json(draft.detail()))
            .mapTo(Long.class)
            .one();
    AuditEvent event =
        new AuditEvent(
            seq, draft.at(), draft.actor(), draft.action(), draft.subject(), draft.detail());
    appended.add(event);
    return event;
  }

  @Override
  public List<AuditEvent> appendAll(List<AuditEvent> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    lockAppends();
    List<Object[]> rows = new ArrayList<>(drafts.size());
    for (AuditEvent draft : drafts) {
      rows.add(
          new Object[] {
            Columns.millis(draft.at()),
            draft.actor(),
            draft.action(),
            draft.subject(),
            Columns.json(draft.detail())
          });
    }
    List<Long> seqs =
        new MultiRowInsert(
                handle,
                "audit_events",
                List.of("at", "actor", "action", "subject", "detail_json"),
                new int[] {
                  java.sql.Types.BIGINT,
                  java.sql.Types.VARCHAR,
                  java.sql.Types.VARCHAR,
                  java.sql.Types.VARCHAR,
                  java.sql.Types.VARCHAR
                },
                false)
            .insertReturning(rows, "seq");
    List<AuditEvent> events = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      AuditEvent draft = drafts.get(i);
      events.add(
          new AuditEvent(
              seqs.get(i),
              draft.at(),
              draft.actor(),
              draft.action(),
              draft.subject(),
              draft.detail()));
    }
    appended.addAll(events);
    return events;
  }

  /**
   * Identity values are handed out at insert time, not at commit: without this lock a transaction
   * could commit seq 6 while seq 5 is still open, and a reader that saw 6 would never ask for 5.
   * Held until the transaction ends; SQLite serializes writers anyway.
   */
  private void lockAppends() {
    if (dialect == Dialect.POSTGRESQL) {
      handle
          .createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
          .bind("key", APPEND_LOCK)
          .mapTo(Integer.class)
          .one();
    }
  }

  @Override
  public List<AuditEvent> list(AuditQuery query) {
    boolean ascending = query.order() == SortOrder.ASCENDING;
    List<String> conditions = new ArrayList<>();
    // Oldest first starts past seq 0; newest first with no cursor starts at the newest event.
    boolean fromCursor = ascending || query.afterSeq() > 0;
    if (fromCursor) {
      conditions.add(ascending ? "seq > :after" : "seq < :after");
    }
    query.subject().ifPresent(subject -> conditions.add("subject = :subject"));
    ListFilterSql.Translation translated =
        ListFilterSql.translate(query.filter(), FILTER_COLUMNS, dialect);
    conditions.add(translated.sql());
    Query select =
        handle
            .createQuery(
                """
                SELECT seq, at, actor, action, subject, detail_json FROM audit_events
                WHERE <where> ORDER BY seq <direction> LIMIT :limit
                """)
            .define("where", String.join(" AND ", conditions))
            .define("direction", ascending ? "ASC" : "DESC")
            .bindMap(translated.parameters())
            .bind("limit", query.limit());
    if (fromCursor) {
      select.bind("after", query.afterSeq());
    }
    query.subject().ifPresent(subject -> select.bind("subject", subject));
    return select
        .map(
            (rs, ctx) ->
                new AuditEvent(
                    rs.getLong("seq"),
                    Columns.instant(rs, "at"),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("subject"),
                    Columns.json(rs, "detail_json")))
        .list();
  }
}
