package dev.sluice.store.jdbi;

import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionFeedback;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.ActionRepository;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.store.db.Dialect;
import dev.sluice.trust.hash.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Device actions, their feedback and the legacy digests of blobs. Statuses, types and policies are
 * stored by their lowercase names; the open-by-device index covers exactly the open statuses.
 */
final class JdbiActionRepository implements ActionRepository {
  private static final String COLUMNS =
      "id, device_id, release_id, rollout_id, stage, type, forced_at, window_schedule,"
          + " window_duration_ms, window_zone, confirmation, attempt, status, created_at,"
          + " updated_at, last_message";
  private static final String OPEN =
      "status IN ('waiting_confirmation', 'denied', 'offered', 'running', 'downloaded',"
          + " 'installed', 'awaiting_version', 'canceling')";

  /** Open and in progress: not waiting for the owner's consent (which may take days). */
  private static final String IN_PROGRESS =
      "status IN ('offered', 'running', 'downloaded', 'installed', 'awaiting_version',"
          + " 'canceling')";

  private final Handle handle;
  private final Dialect dialect;

  JdbiActionRepository(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public Action insert(NewAction spec, Instant at) {
    long id =
        handle
            .createUpdate(
                """
                INSERT INTO actions (device_id, release_id, rollout_id, stage, type, forced_at,
                  window_schedule, window_duration_ms, window_zone, confirmation, attempt, status,
                  created_at, updated_at, last_message)
                VALUES (:device, :release, :rollout, :stage, :type, :forcedAt, :schedule,
                  :duration, :zone, :confirmation, :attempt, :status, :at, :at, NULL)
                """)
            .bind("device", spec.device().value())
            .bind("release", spec.release().value())
            .bind("rollout", spec.rollout().orElse(null))
            .bind("stage", spec.stage())
            .bind("type", name(spec.type()))
            .bind("forcedAt", spec.forcedAt().map(Columns::millis).orElse(null))
            .bind("schedule", spec.window().map(MaintenanceWindow::schedule).orElse(null))
            .bind("duration", spec.window().map(w -> w.duration().toMillis()).orElse(null))
            .bind("zone", spec.window().map(w -> w.zone().getId()).orElse(null))
            .bind("confirmation", name(spec.confirmation()))
            .bind("attempt", spec.attempt())
            .bind("status", name(initial(spec)))
            .bind("at", Columns.millis(at))
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    return new Action(new ActionId(id), spec, initial(spec), at, at, Optional.empty());
  }

  @Override
  public List<Action> insertAll(List<NewAction> specs, Instant at) {
    long millis = Columns.millis(at);
    List<Object[]> rows = new java.util.ArrayList<>(specs.size());
    for (NewAction spec : specs) {
      rows.add(
          new Object[] {
            spec.device().value(),
            spec.release().value(),
            spec.rollout().orElse(null),
            (long) spec.stage(),
            name(spec.type()),
            spec.forcedAt().map(Columns::millis).orElse(null),
            spec.window().map(MaintenanceWindow::schedule).orElse(null),
            spec.window().map(w -> w.duration().toMillis()).orElse(null),
            spec.window().map(w -> w.zone().getId()).orElse(null),
            name(spec.confirmation()),
            (long) spec.attempt(),
            name(initial(spec)),
            millis,
            millis
          });
    }
    List<Long> ids = INSERT.apply(handle).insertReturning(rows, "id");
    List<Action> actions = new java.util.ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      NewAction spec = specs.get(i);
      actions.add(
          new Action(new ActionId(ids.get(i)), spec, initial(spec), at, at, Optional.empty()));
    }
    return actions;
  }

  /** The columns {@link #insertAll} writes (last_message starts NULL). */
  private static final java.util.function.Function<Handle, MultiRowInsert> INSERT =
      h ->
          new MultiRowInsert(
              h,
              "actions",
              List.of(
                  "device_id",
                  "release_id",
                  "rollout_id",
                  "stage",
                  "type",
                  "forced_at",
                  "window_schedule",
                  "window_duration_ms",
                  "window_zone",
                  "confirmation",
                  "attempt",
                  "status",
                  "created_at",
                  "updated_at"),
              new int[] {
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.INTEGER,
                Types.VARCHAR,
                Types.BIGINT,
                Types.VARCHAR,
                Types.BIGINT,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.INTEGER,
                Types.VARCHAR,
                Types.BIGINT,
                Types.BIGINT
              },
              false);

  private static ActionStatus initial(NewAction spec) {
    return spec.consent() ? ActionStatus.WAITING_CONFIRMATION : ActionStatus.OFFERED;
  }

  @Override
  public Optional<Action> find(ActionId id) {
    return select("WHERE id = :id", "").bind("id", id.value()).map((rs, c) -> action(rs)).findOne();
  }

  @Override
  public Optional<Action> findForUpdate(ActionId id) {
    // SQLite has no row locks: its write transactions are serialized whole.
    String lock = dialect == Dialect.POSTGRESQL ? "FOR UPDATE" : "";
    return select("WHERE id = :id", lock)
        .bind("id", id.value())
        .map((rs, c) -> action(rs))
        .findOne();
  }

  @Override
  public List<Action> openFor(ControllerId device) {
    return select("WHERE device_id = :device AND " + OPEN + " ORDER BY id", "")
        .bind("device", device.value())
        .map((rs, c) -> action(rs))
        .list();
  }

  @Override
  public java.util.Set<ControllerId> withOpenActions(java.util.Collection<ControllerId> devices) {
    java.util.Set<ControllerId> busy = new java.util.HashSet<>();
    List<String> ids = devices.stream().map(ControllerId::value).distinct().toList();
    if (dialect == Dialect.POSTGRESQL) {
      // Driven from the ids: one probe of the partial index actions_open_by_device per device,
      // whatever the statistics say. With IN (...) and a freshly filled table the planner chose a
      // scan of every open action per page, quadratic in a rollout stage's size (BENCHMARKS.md,
      // "PostgreSQL fleet", session 9, the million).
      handle
          .createQuery(
              "SELECT d.id FROM unnest(CAST(:ids AS text[])) AS d(id) WHERE EXISTS"
                  + " (SELECT 1 FROM actions WHERE device_id = d.id AND "
                  + OPEN
                  + ")")
          .bindArray("ids", String.class, ids.toArray())
          .map((rs, c) -> new ControllerId(rs.getString(1)))
          .forEach(busy::add);
      return busy;
    }
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      handle
          .createQuery(
              "SELECT DISTINCT device_id FROM actions WHERE device_id IN (<ids>) AND " + OPEN)
          .bindList("ids", ids.subList(from, Math.min(ids.size(), from + IN_CHUNK)))
          .map((rs, c) -> new ControllerId(rs.getString(1)))
          .forEach(busy::add);
    }
    return busy;
  }

  /** Ids per {@code IN (...)} list: well under every database's limit on bound parameters. */
  private static final int IN_CHUNK = 500;

  @Override
  public List<Action> openOfRelease(dev.sluice.core.release.ReleaseId release) {
    return select("WHERE release_id = :release AND " + OPEN + " ORDER BY id", "")
        .bind("release", release.value())
        .map((rs, c) -> action(rs))
        .list();
  }

  @Override
  public List<Action> openOfRollout(String rolloutId) {
    return select("WHERE rollout_id = :rollout AND " + OPEN + " ORDER BY id", "")
        .bind("rollout", rolloutId)
        .map((rs, c) -> action(rs))
        .list();
  }

  @Override
  public java.util.Map<String, Long> openCountsOfRollout(String rolloutId) {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    handle
        .createQuery(
            "SELECT status, count(*) AS n FROM actions WHERE rollout_id = :rollout AND "
                + OPEN
                + " GROUP BY status")
        .bind("rollout", rolloutId)
        .map((rs, c) -> java.util.Map.entry(rs.getString("status"), rs.getLong("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  @Override
  public List<Action> openUnchangedSince(Instant cutoff, int limit) {
    return select(
            "WHERE "
                + IN_PROGRESS
                + " AND updated_at < :cutoff ORDER BY updated_at, id LIMIT :limit",
            "")
        .bind("cutoff", Columns.millis(cutoff))
        .bind("limit", limit)
        .map((rs, c) -> action(rs))
        .list();
  }

  @Override
  public List<Action> history(ControllerId device, int limit) {
    return select("WHERE device_id = :device ORDER BY id DESC LIMIT :limit", "")
        .bind("device", device.value())
        .bind("limit", limit)
        .map((rs, c) -> action(rs))
        .list();
  }

  @Override
  public boolean transition(
      ActionId id, ActionStatus expected, ActionStatus next, Instant at, Optional<String> message) {
    return handle
            .createUpdate(
                """
                UPDATE actions SET status = :next, updated_at = :at,
                  last_message = COALESCE(:message, last_message)
                WHERE id = :id AND status = :expected
                """)
            .bind("next", name(next))
            .bind("at", Columns.millis(at))
            .bind("message", message.orElse(null))
            .bind("id", id.value())
            .bind("expected", name(expected))
            .execute()
        == 1;
  }

  @Override
  public void insertFeedback(
      ActionId id, Instant at, String execution, String result, String body) {
    handle
        .createUpdate(
            """
            INSERT INTO action_feedback (action_id, at, execution, result, body)
            VALUES (:id, :at, :execution, :result, :body)
            """)
        .bind("id", id.value())
        .bind("at", Columns.millis(at))
        .bind("execution", execution)
        .bind("result", result)
        .bind("body", body)
        .execute();
  }

  @Override
  public List<ActionFeedback> feedback(ActionId id) {
    return handle
        .createQuery(
            """
            SELECT seq, at, execution, result, body FROM action_feedback
            WHERE action_id = :id ORDER BY seq
            """)
        .bind("id", id.value())
        .map(
            (rs, c) ->
                new ActionFeedback(
                    rs.getLong("seq"),
                    Columns.instant(rs, "at"),
                    rs.getString("execution"),
                    rs.getString("result"),
                    rs.getString("body")))
        .list();
  }

  @Override
  public void pruneFeedback(ActionId id, int keepFirst, int keepLast) {
    handle
        .createUpdate(
            """
            DELETE FROM action_feedback
            WHERE action_id = :id
              AND seq NOT IN (SELECT seq FROM action_feedback WHERE action_id = :id
                              ORDER BY seq LIMIT :first)
              AND seq NOT IN (SELECT seq FROM action_feedback WHERE action_id = :id
                              ORDER BY seq DESC LIMIT :last)
            """)
        .bind("id", id.value())
        .bind("first", keepFirst)
        .bind("last", keepLast)
        .execute();
  }

  @Override
  public boolean feedbackExists(ActionId id, String execution, String result) {
    return handle
            .createQuery(
                """
            SELECT count(*) FROM action_feedback
            WHERE action_id = :id AND execution = :execution AND result = :result
            """)
            .bind("id", id.value())
            .bind("execution", execution)
            .bind("result", result)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  @Override
  public java.util.Set<String> feedbackKinds(ActionId id) {
    java.util.Set<String> kinds = new java.util.HashSet<>();
    handle
        .createQuery("SELECT DISTINCT execution, result FROM action_feedback WHERE action_id = :id")
        .bind("id", id.value())
        .map((rs, ctx) -> kinds.add(rs.getString("execution") + "/" + rs.getString("result")))
        .list();
    return kinds;
  }

  /**
   * One statement for both (a poll miss ran two): the device's open actions and the newest
   * succeeded one, through the device's index. Plain JDBC (a poll miss runs it): see {@link
   * PlainQuery}.
   */
  private static final String OPEN_AND_LAST_SUCCESS =
      "SELECT "
          + COLUMNS
          + " FROM actions WHERE device_id = ? AND ("
          + OPEN
          + " OR id = (SELECT MAX(id) FROM actions WHERE device_id = ? AND status = 'succeeded'))"
          + " ORDER BY id";

  @Override
  public OpenAndLastSuccess openAndLastSuccess(ControllerId device) {
    List<Action> open = new java.util.ArrayList<>(2);
    Action[] lastSuccess = new Action[1];
    PlainQuery.forEach(
        handle,
        OPEN_AND_LAST_SUCCESS,
        rs -> {
          Action a = action(rs);
          if (a.status() == ActionStatus.SUCCEEDED) {
            lastSuccess[0] = a;
          } else {
            open.add(a);
          }
        },
        device.value(),
        device.value());
    return new OpenAndLastSuccess(open, Optional.ofNullable(lastSuccess[0]));
  }

  @Override
  public Optional<Action> latestOf(ControllerId device, List<ActionStatus> statuses) {
    if (statuses.isEmpty()) {
      return Optional.empty();
    }
    return select(
            "WHERE device_id = :device AND status IN (<statuses>) ORDER BY id DESC LIMIT 1", "")
        .bind("device", device.value())
        .bindList("statuses", statuses.stream().map(JdbiActionRepository::name).toList())
        .map((rs, c) -> action(rs))
        .findOne();
  }

  @Override
  public Optional<ArtifactDigests> digests(Sha256 sha256) {
    return handle
        .createQuery("SELECT sha256, sha1, md5 FROM artifact_hashes WHERE sha256 = :sha256")
        .bind("sha256", sha256.hex())
        .map(
            (rs, c) ->
                new ArtifactDigests(
                    new Sha256(rs.getString("sha256")), rs.getString("sha1"), rs.getString("md5")))
        .findOne();
  }

  @Override
  public void saveDigests(ArtifactDigests digests) {
    handle
        .createUpdate(
            """
            INSERT INTO artifact_hashes (sha256, sha1, md5) VALUES (:sha256, :sha1, :md5)
            ON CONFLICT DO NOTHING
            """)
        .bind("sha256", digests.sha256().hex())
        .bind("sha1", digests.sha1())
        .bind("md5", digests.md5())
        .execute();
  }

  private org.jdbi.v3.core.statement.Query select(String where, String lock) {
    return handle.createQuery("SELECT " + COLUMNS + " FROM actions " + where + " " + lock);
  }

  /** The action of a row of {@link #COLUMNS}, read by position. */
  private static Action action(ResultSet rs) throws SQLException {
    String schedule = rs.getString(8);
    Optional<MaintenanceWindow> window =
        schedule == null
            ? Optional.empty()
            : Optional.of(
                new MaintenanceWindow(
                    schedule, Duration.ofMillis(rs.getLong(9)), ZoneId.of(rs.getString(10))));
    long forcedAt = rs.getLong(7);
    Optional<Instant> forced =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(forcedAt));
    NewAction spec =
        new NewAction(
            new ControllerId(rs.getString(2)),
            new ReleaseId(rs.getString(3)),
            Optional.ofNullable(rs.getString(4)),
            rs.getInt(5),
            ActionType.valueOf(upper(rs.getString(6))),
            forced,
            window,
            ConfirmationPolicy.valueOf(upper(rs.getString(11))),
            rs.getInt(12));
    return new Action(
        new ActionId(rs.getLong(1)),
        spec,
        ActionStatus.valueOf(upper(rs.getString(13))),
        Instant.ofEpochMilli(rs.getLong(14)),
        Instant.ofEpochMilli(rs.getLong(15)),
        Optional.ofNullable(rs.getString(16)));
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String upper(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}
