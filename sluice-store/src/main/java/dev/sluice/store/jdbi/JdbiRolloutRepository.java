package dev.sluice.store.jdbi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.PageCursor;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.FilterNode;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.rollout.Halt;
import dev.sluice.core.rollout.MemberStatus;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutDevice;
import dev.sluice.core.rollout.RolloutFilters;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutProgress;
import dev.sluice.core.rollout.RolloutRepository;
import dev.sluice.core.rollout.RolloutSpecJson;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.core.rollout.StageCounters;
import dev.sluice.core.rollout.StageMembership;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Rollouts in {@code rollouts} (spec and halt as JSON text), their stages in {@code rollout_stages}
 * and members in {@code rollout_devices}. A stage's counters are counted from its members' rows
 * when read; {@code rollout_stages} keeps no counters since migration V17 (see
 * docs/ARCHITECTURE.md, "Rollouts": why no report updates a shared row).
 */
final class JdbiRolloutRepository implements RolloutRepository {
  private static final String COLUMNS =
      """
      id, product, spec_json, state, stage, baseline, halt_json, gate_reply, created_by,
      created_at, updated_at, started_at""";

  /** The column of each field a rollout filter may name. */
  private static final Map<String, String> FILTER_COLUMNS =
      Map.of(
          RolloutFilters.PRODUCT.name(), "product",
          RolloutFilters.RELEASE.name(), "release_id",
          RolloutFilters.STATE.name(), "state",
          RolloutFilters.CREATED.name(), "created_at");

  private static final String MEMBER_COLUMNS =
      "rollout_id, device_id, rank, stage, status, action_id, attempt, timed_out, updated_at";

  private final Handle handle;
  private final Dialect dialect;

  JdbiRolloutRepository(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public void insert(Rollout r) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO rollouts
                  (id, product, release_id, spec_json, state, stage, baseline, halt_json,
                   gate_reply, created_by, created_at, updated_at, started_at)
                VALUES
                  (:id, :product, :release, :spec, :state, :stage, :baseline, :halt, :gateReply,
                   :createdBy, :createdAt, :updatedAt, :startedAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("id", r.id().value())
            .bind("product", r.product().value())
            .bind("release", r.spec().release().value())
            .bind("spec", Columns.json(RolloutSpecJson.toJson(r.spec())))
            .bind("state", r.state().wireName())
            .bind("stage", r.stage())
            .bind("baseline", r.baseline().orElse(null))
            .bind("halt", r.halt().map(JdbiRolloutRepository::haltJson).orElse(null))
            .bind("gateReply", r.gateReply().orElse(null))
            .bind("createdBy", r.createdBy())
            .bind("createdAt", Columns.millis(r.createdAt()))
            .bind("updatedAt", Columns.millis(r.updatedAt()))
            .bind("startedAt", r.startedAt().map(Columns::millis).orElse(null))
            .execute();
    if (inserted == 0) {
      throw new Conflict(ConflictKind.ALREADY_EXISTS, "rollout " + r.id() + " already exists");
    }
    PreparedBatch stages =
        handle.prepareBatch("INSERT INTO rollout_stages (rollout_id, stage) VALUES (:id, :stage)");
    for (int i = 0; i < r.spec().stages().size(); i++) {
      stages.bind("id", r.id().value()).bind("stage", i).add();
    }
    stages.execute();
  }

  @Override
  public Optional<Rollout> find(RolloutId id) {
    return find(id, "");
  }

  @Override
  public Optional<Rollout> findForUpdate(RolloutId id) {
    // SQLite serializes write transactions whole and has no FOR UPDATE.
    return find(id, dialect == Dialect.POSTGRESQL ? "FOR UPDATE" : "");
  }

  private Optional<Rollout> find(RolloutId id, String lock) {
    return handle
        .createQuery("SELECT <columns> FROM rollouts WHERE id = :id <lock>")
        .define("columns", COLUMNS)
        .define("lock", lock)
        .bind("id", id.value())
        .map((rs, ctx) -> rollout(rs))
        .findOne();
  }

  @Override
  public List<Rollout> list(
      Optional<RolloutState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit) {
    List<String> filters = new ArrayList<>();
    state.ifPresent(s -> filters.add("state = :state"));
    after.ifPresent(a -> filters.add(JdbiReleaseRepository.keyset(order)));
    ListFilterSql.Translation translated = ListFilterSql.translate(filter, FILTER_COLUMNS, dialect);
    filters.add(translated.sql());
    var query =
        handle
            .createQuery("SELECT <columns> FROM rollouts WHERE <where> <order> LIMIT :limit")
            .define("columns", COLUMNS)
            .define("where", String.join(" AND ", filters))
            .define("order", JdbiReleaseRepository.orderBy(order))
            .bindMap(translated.parameters())
            .bind("limit", limit);
    state.ifPresent(s -> query.bind("state", s.wireName()));
    after.ifPresent(
        a -> query.bind("afterCreated", Columns.millis(a.created())).bind("afterId", a.id()));
    return query.map((rs, ctx) -> rollout(rs)).list();
  }

  @Override
  public List<RolloutId> idsIn(List<RolloutState> states) {
    if (states.isEmpty()) {
      return List.of();
    }
    return handle
        .createQuery("SELECT id FROM rollouts WHERE state IN (<states>) ORDER BY id")
        .bindList("states", states.stream().map(RolloutState::wireName).toList())
        .map((rs, ctx) -> new RolloutId(rs.getString("id")))
        .list();
  }

  @Override
  public boolean delete(RolloutId id) {
    for (String table : List.of("rollout_devices", "rollout_stages")) {
      handle
          .createUpdate("DELETE FROM " + table + " WHERE rollout_id = :id")
          .bind("id", id.value())
          .execute();
    }
    return handle
            .createUpdate("DELETE FROM rollouts WHERE id = :id")
            .bind("id", id.value())
            .execute()
        == 1;
  }

  @Override
  public void update(Rollout r) {
    handle
        .createUpdate(
            """
            UPDATE rollouts SET state = :state, stage = :stage, baseline = :baseline,
              halt_json = :halt, gate_reply = :gateReply, updated_at = :updatedAt,
              started_at = :startedAt
            WHERE id = :id
            """)
        .bind("state", r.state().wireName())
        .bind("stage", r.stage())
        .bind("baseline", r.baseline().orElse(null))
        .bind("halt", r.halt().map(JdbiRolloutRepository::haltJson).orElse(null))
        .bind("gateReply", r.gateReply().orElse(null))
        .bind("updatedAt", Columns.millis(r.updatedAt()))
        .bind("startedAt", r.startedAt().map(Columns::millis).orElse(null))
        .bind("id", r.id().value())
        .execute();
  }

  @Override
  public java.util.OptionalLong claim(RolloutId id, String owner, Instant now, Instant until) {
    int claimed =
        handle
            .createUpdate(
                """
                UPDATE rollouts
                SET lease_owner = :owner, lease_until = :until, lease_epoch = lease_epoch + 1
                WHERE id = :id
                  AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)
                """)
            .bind("owner", owner)
            .bind("until", Columns.millis(until))
            .bind("now", Columns.millis(now))
            .bind("id", id.value())
            .execute();
    if (claimed != 1) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(
        handle
            .createQuery("SELECT lease_epoch FROM rollouts WHERE id = :id")
            .bind("id", id.value())
            .mapTo(Long.class)
            .one());
  }

  @Override
  public boolean renew(RolloutId id, String owner, long epoch, Instant until) {
    // An UPDATE takes the row lock (PostgreSQL) or runs under the write lock (SQLite): a claim by
    // another instance waits for this transaction, then finds the lease extended.
    return handle
            .createUpdate(
                "UPDATE rollouts SET lease_until = :until"
                    + " WHERE id = :id AND lease_owner = :owner AND lease_epoch = :epoch")
            .bind("until", Columns.millis(until))
            .bind("id", id.value())
            .bind("owner", owner)
            .bind("epoch", epoch)
            .execute()
        == 1;
  }

  @Override
  public void release(RolloutId id, String owner) {
    handle
        .createUpdate(
            "UPDATE rollouts SET lease_owner = NULL, lease_until = NULL"
                + " WHERE id = :id AND lease_owner = :owner")
        .bind("id", id.value())
        .bind("owner", owner)
        .execute();
  }

  @Override
  public RolloutProgress progress(RolloutId id) {
    return handle
        .createQuery(
            """
            SELECT membership_done, membership_after, joined_since, joined_after, gate_checked_at
            FROM rollouts WHERE id = :id
            """)
        .bind("id", id.value())
        .map(
            (rs, ctx) ->
                new RolloutProgress(
                    rs.getInt("membership_done") == 1,
                    Columns.optionalString(rs, "membership_after").map(ControllerId::new),
                    Columns.optionalInstant(rs, "joined_since"),
                    Columns.optionalString(rs, "joined_after").map(ControllerId::new),
                    Columns.optionalInstant(rs, "gate_checked_at")))
        .findOne()
        .orElse(RolloutProgress.START);
  }

  @Override
  public void saveProgress(RolloutId id, RolloutProgress p) {
    handle
        .createUpdate(
            """
            UPDATE rollouts SET membership_done = :done, membership_after = :after,
              joined_since = :joinedSince, joined_after = :joinedAfter,
              gate_checked_at = :gateCheckedAt
            WHERE id = :id
            """)
        .bind("done", p.membershipDone() ? 1 : 0)
        .bind("after", p.membershipAfter().map(ControllerId::value).orElse(null))
        .bind("joinedSince", p.joinedSince().map(Columns::millis).orElse(null))
        .bind("joinedAfter", p.joinedAfter().map(ControllerId::value).orElse(null))
        .bind("gateCheckedAt", p.gateCheckedAt().map(Columns::millis).orElse(null))
        .bind("id", id.value())
        .execute();
  }

  @Override
  public List<StageCounters> counters(RolloutId id) {
    // One statement: the rollout's stages (so that a stage nobody was offered yet reads as zero),
    // then the offered members of each stage by status. The status index (rollout, status, stage,
    // rank) reads only the offered members' entries, never the pending rest of the fleet.
    List<long[]> stages = new ArrayList<>();
    handle
        .createQuery(
            """
            SELECT stage, NULL AS status, 0 AS n FROM rollout_stages WHERE rollout_id = :id
            UNION ALL
            SELECT stage, status, COUNT(*) AS n FROM rollout_devices
            WHERE rollout_id = :id AND stage >= 0
              AND status IN ('open', 'retry', 'canceling', 'succeeded', 'failed', 'canceled')
            GROUP BY stage, status
            """)
        .bind("id", id.value())
        .map(
            (rs, ctx) -> {
              int stage = rs.getInt("stage");
              String status = rs.getString("status");
              long n = rs.getLong("n");
              while (stages.size() <= stage) {
                stages.add(new long[5]);
              }
              if (status != null) {
                long[] c = stages.get(stage);
                c[0] += n;
                switch (MemberStatus.fromWire(status)) {
                  case SUCCEEDED -> c[2] += n;
                  case FAILED -> c[3] += n;
                  case CANCELED -> c[4] += n;
                  default -> c[1] += n;
                }
              }
              return stage;
            })
        .list();
    return stages.stream().map(c -> new StageCounters(c[0], c[1], c[2], c[3], c[4])).toList();
  }

  @Override
  public int addMembers(List<RolloutDevice> members) {
    // Multi-row statements: a rollout over a million devices records them all when it starts, and
    // one statement execution per member made that the slowest part of starting it.
    List<Object[]> rows = new ArrayList<>(members.size());
    for (RolloutDevice m : members) {
      rows.add(
          new Object[] {
            m.rollout().value(),
            m.device().value(),
            m.rank(),
            (long) m.stage(),
            m.status().wireName(),
            m.action().map(ActionId::value).orElse(null),
            (long) m.attempt(),
            m.timedOut() ? 1L : 0L,
            Columns.millis(m.updatedAt())
          });
    }
    return MEMBER_ROWS.apply(handle).insert(rows);
  }

  private static final java.util.function.Function<Handle, MultiRowInsert> MEMBER_ROWS =
      h ->
          new MultiRowInsert(
              h,
              "rollout_devices",
              List.of(MEMBER_COLUMNS.split(", ")),
              new int[] {
                Types.VARCHAR,
                Types.VARCHAR,
                Types.BIGINT,
                Types.INTEGER,
                Types.VARCHAR,
                Types.BIGINT,
                Types.INTEGER,
                Types.SMALLINT,
                Types.BIGINT
              },
              true);

  @Override
  public MemberPage recordPage(
      RolloutId id,
      ProductName product,
      DeviceFilter filter,
      Optional<ControllerId> after,
      int limit,
      Instant at) {
    if (limit <= 0) {
      return new MemberPage(0, Optional.empty());
    }
    if (dialect == Dialect.POSTGRESQL && filter instanceof FilterNode node) {
      return recordPageInDatabase(id, product, node, after, limit, at);
    }
    // SQLite (no SHA-256 in SQL), or a filter the store cannot translate: read the page, rank each
    // device here, insert the members in multi-row statements.
    List<Device> page =
        new JdbiDeviceRepository(handle, dialect).list(Optional.of(product), filter, after, limit);
    List<RolloutDevice> members = new ArrayList<>(page.size());
    for (Device d : page) {
      members.add(
          new RolloutDevice(
              id,
              d.id(),
              StageMembership.rank(id, d.id()),
              -1,
              MemberStatus.PENDING,
              Optional.empty(),
              0,
              false,
              at));
    }
    addMembers(members);
    return new MemberPage(
        page.size(), page.isEmpty() ? Optional.empty() : Optional.of(page.getLast().id()));
  }

  /**
   * One statement: the page of matching devices (the device list's own condition and order), their
   * member rows inserted with the rank {@link StageMembership#rank} computes (the first 8 bytes of
   * SHA-256 of the rollout id, a zero byte and the controller id, as a signed big-endian integer),
   * and the page's size and last id returned.
   */
  private MemberPage recordPageInDatabase(
      RolloutId id,
      ProductName product,
      FilterNode filter,
      Optional<ControllerId> after,
      int limit,
      Instant at) {
    FilterSql.Translation where = FilterSql.translate(filter, dialect);
    StringBuilder sql =
        new StringBuilder("WITH page AS (SELECT d.controller_id FROM devices d WHERE ")
            .append(where.sql())
            .append(" AND d.decommissioned_at IS NULL AND d.product = :product");
    after.ifPresent(a -> sql.append(" AND d.controller_id > :after"));
    sql.append(
        """
         ORDER BY d.controller_id LIMIT :limit),
        added AS (
          INSERT INTO rollout_devices (%s)
          SELECT :rollout, controller_id,
            CAST(CAST('x' || encode(substring(sha256(CAST(:prefix AS bytea)
              || convert_to(controller_id, 'UTF8')) FROM 1 FOR 8), 'hex') AS bit(64)) AS bigint),
            -1, 'pending', NULL, 0, 0, :at
          FROM page
          ON CONFLICT DO NOTHING)
        SELECT COUNT(*) AS n, MAX(controller_id) AS last FROM page
        """
            .formatted(MEMBER_COLUMNS));
    byte[] rolloutBytes = id.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] prefix = java.util.Arrays.copyOf(rolloutBytes, rolloutBytes.length + 1);
    var query =
        handle
            .createQuery(sql.toString())
            .bindMap(where.parameters())
            .bind("product", product.value())
            .bind("limit", limit)
            .bind("rollout", id.value())
            .bind("prefix", prefix)
            .bind("at", Columns.millis(at));
    after.ifPresent(a -> query.bind("after", a.value()));
    return query
        .map(
            (rs, ctx) ->
                new MemberPage(
                    rs.getInt("n"),
                    Optional.ofNullable(rs.getString("last")).map(ControllerId::new)))
        .one();
  }

  @Override
  public long memberCount(RolloutId id) {
    return handle
        .createQuery("SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = :id")
        .bind("id", id.value())
        .mapTo(Long.class)
        .one();
  }

  @Override
  public int stageByRank(RolloutId id, int stage, long count) {
    if (count <= 0) {
      return 0;
    }
    return handle
        .createUpdate(
            """
            UPDATE rollout_devices SET stage = :stage
            WHERE rollout_id = :id AND device_id IN (
              SELECT device_id FROM rollout_devices WHERE rollout_id = :id AND stage = -1
              ORDER BY rank, device_id LIMIT :count)
            """)
        .bind("stage", stage)
        .bind("id", id.value())
        .bind("count", count)
        .execute();
  }

  @Override
  public List<RolloutDevice> members(RolloutId id, MemberStatus status, int maxStage, int limit) {
    return handle
        .createQuery(
            """
            SELECT <columns> FROM rollout_devices
            WHERE rollout_id = :id AND status = :status AND stage >= 0 AND stage <= :maxStage
            ORDER BY stage, rank, device_id LIMIT :limit
            """)
        .define("columns", MEMBER_COLUMNS)
        .bind("id", id.value())
        .bind("status", status.wireName())
        .bind("maxStage", maxStage)
        .bind("limit", limit)
        .map((rs, ctx) -> member(rs))
        .list();
  }

  @Override
  public long countMembers(RolloutId id, MemberStatus status, int maxStage) {
    return handle
        .createQuery(
            """
            SELECT COUNT(*) FROM rollout_devices
            WHERE rollout_id = :id AND status = :status AND stage >= 0 AND stage <= :maxStage
            """)
        .bind("id", id.value())
        .bind("status", status.wireName())
        .bind("maxStage", maxStage)
        .mapTo(Long.class)
        .one();
  }

  @Override
  public Optional<RolloutDevice> member(RolloutId id, ControllerId device) {
    return handle
        .createQuery(
            "SELECT <columns> FROM rollout_devices WHERE rollout_id = :id AND device_id = :device")
        .define("columns", MEMBER_COLUMNS)
        .bind("id", id.value())
        .bind("device", device.value())
        .map((rs, ctx) -> member(rs))
        .findOne();
  }

  @Override
  public void saveMember(RolloutDevice m) {
    bindMember(
            handle.createUpdate(
                """
                UPDATE rollout_devices SET rank = :rank, stage = :stage, status = :status,
                  action_id = :action, attempt = :attempt, timed_out = :timedOut,
                  updated_at = :updatedAt
                WHERE rollout_id = :rollout AND device_id = :device
                """),
            m)
        .execute();
  }

  /** Members per multi-row update: 9 parameters each, well under every database's limit. */
  private static final int MEMBERS_PER_UPDATE = 400;

  /**
   * One {@code UPDATE ... FROM (VALUES ...)} per {@value #MEMBERS_PER_UPDATE} members (both
   * databases name a VALUES list's columns column1, column2, ...), where saving each member was a
   * statement of its own.
   */
  @Override
  public void saveMembers(List<RolloutDevice> members) {
    java.sql.Connection connection = handle.getConnection();
    try {
      for (int from = 0; from < members.size(); from += MEMBERS_PER_UPDATE) {
        List<RolloutDevice> chunk =
            members.subList(from, Math.min(members.size(), from + MEMBERS_PER_UPDATE));
        String row =
            "(?, ?, CAST(? AS BIGINT), CAST(? AS INTEGER), ?, CAST(? AS BIGINT),"
                + " CAST(? AS INTEGER), CAST(? AS SMALLINT), CAST(? AS BIGINT))";
        String sql =
            """
            UPDATE rollout_devices SET rank = v.column3, stage = v.column4, status = v.column5,
              action_id = v.column6, attempt = v.column7, timed_out = v.column8,
              updated_at = v.column9
            FROM (VALUES %s) AS v
            WHERE rollout_devices.rollout_id = v.column1 AND rollout_devices.device_id = v.column2
            """
                .formatted(String.join(", ", java.util.Collections.nCopies(chunk.size(), row)));
        try (java.sql.PreparedStatement update = connection.prepareStatement(sql)) {
          int i = 1;
          for (RolloutDevice m : chunk) {
            update.setString(i++, m.rollout().value());
            update.setString(i++, m.device().value());
            update.setLong(i++, m.rank());
            update.setInt(i++, m.stage());
            update.setString(i++, m.status().wireName());
            if (m.action().isPresent()) {
              update.setLong(i++, m.action().get().value());
            } else {
              update.setNull(i++, java.sql.Types.BIGINT);
            }
            update.setInt(i++, m.attempt());
            update.setInt(i++, m.timedOut() ? 1 : 0);
            update.setLong(i++, Columns.millis(m.updatedAt()));
          }
          update.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean reportOn(
      RolloutId id, ControllerId device, ActionId action, Optional<MemberStatus> next, Instant at) {
    return handle
            .createUpdate(
                """
                UPDATE rollout_devices SET <status> timed_out = 0, updated_at = :at
                WHERE rollout_id = :id AND device_id = :device AND action_id = :action
                  AND status IN ('open', 'canceling')
                """)
            .define("status", next.isPresent() ? "status = :status," : "")
            .bind("status", next.map(MemberStatus::wireName).orElse(null))
            .bind("at", Columns.millis(at))
            .bind("id", id.value())
            .bind("device", device.value())
            .bind("action", action.value())
            .execute()
        == 1;
  }

  @Override
  public List<RolloutDevice> silentSince(RolloutId id, Instant cutoff, int limit) {
    return handle
        .createQuery(
            """
            SELECT <columns> FROM rollout_devices
            WHERE rollout_id = :id AND status = 'open' AND updated_at < :cutoff
            ORDER BY updated_at, device_id LIMIT :limit
            """)
        .define("columns", MEMBER_COLUMNS)
        .bind("id", id.value())
        .bind("cutoff", Columns.millis(cutoff))
        .bind("limit", limit)
        .map((rs, ctx) -> member(rs))
        .list();
  }

  @Override
  public long[] finishedOutcomes(ProductName product) {
    return handle
        .createQuery(
            """
            SELECT COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN 1 ELSE 0 END), 0)
                AS succeeded,
              COALESCE(SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed
            FROM rollouts r JOIN rollout_devices d ON d.rollout_id = r.id
            WHERE r.product = :product AND r.state = 'finished'
              AND d.status IN ('succeeded', 'failed') AND d.stage >= 0
            """)
        .bind("product", product.value())
        .map((rs, ctx) -> new long[] {rs.getLong("succeeded"), rs.getLong("failed")})
        .one();
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindMember(
      S statement, RolloutDevice m) {
    return statement
        .bind("rollout", m.rollout().value())
        .bind("device", m.device().value())
        .bind("rank", m.rank())
        .bind("stage", m.stage())
        .bind("status", m.status().wireName())
        .bind("action", m.action().map(ActionId::value).orElse(null))
        .bind("attempt", m.attempt())
        .bind("timedOut", m.timedOut() ? 1 : 0)
        .bind("updatedAt", Columns.millis(m.updatedAt()));
  }

  private static RolloutDevice member(ResultSet rs) throws SQLException {
    long action = rs.getLong("action_id");
    Optional<ActionId> actionId =
        rs.wasNull() ? Optional.empty() : Optional.of(new ActionId(action));
    return new RolloutDevice(
        new RolloutId(rs.getString("rollout_id")),
        new ControllerId(rs.getString("device_id")),
        rs.getLong("rank"),
        rs.getInt("stage"),
        MemberStatus.fromWire(rs.getString("status")),
        actionId,
        rs.getInt("attempt"),
        rs.getInt("timed_out") == 1,
        Columns.instant(rs, "updated_at"));
  }

  private static Rollout rollout(ResultSet rs) throws SQLException {
    double baseline = rs.getDouble("baseline");
    Optional<Double> p0 = rs.wasNull() ? Optional.empty() : Optional.of(baseline);
    String halt = rs.getString("halt_json");
    return new Rollout(
        new RolloutId(rs.getString("id")),
        RolloutSpecJson.fromJson(Columns.json(rs, "spec_json")),
        new ProductName(rs.getString("product")),
        RolloutState.fromWire(rs.getString("state")),
        rs.getInt("stage"),
        p0,
        halt == null ? Optional.empty() : Optional.of(halt(Columns.json(rs, "halt_json"))),
        Columns.optionalString(rs, "gate_reply"),
        rs.getString("created_by"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "updated_at"),
        Columns.optionalInstant(rs, "started_at"));
  }

  static String haltJson(Halt h) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", h.kind().wireName());
    node.put("message", h.message());
    node.put("stage", h.stage());
    ObjectNode c = node.putObject("counters");
    c.put("assigned", h.counters().assigned());
    c.put("open", h.counters().open());
    c.put("succeeded", h.counters().succeeded());
    c.put("failed", h.counters().failed());
    c.put("canceled", h.counters().canceled());
    h.logLikelihoodRatio().ifPresent(l -> node.put("log_likelihood_ratio", l));
    node.put("at", h.at().toEpochMilli());
    node.put("by", h.by());
    return Columns.json(node);
  }

  static Halt halt(JsonNode node) {
    JsonNode c = node.get("counters");
    JsonNode llr = node.get("log_likelihood_ratio");
    return new Halt(
        Halt.Kind.fromWire(node.get("kind").asText()),
        node.get("message").asText(),
        node.get("stage").asInt(),
        new StageCounters(
            c.get("assigned").asLong(),
            c.get("open").asLong(),
            c.get("succeeded").asLong(),
            c.get("failed").asLong(),
            c.get("canceled").asLong()),
        llr == null ? Optional.empty() : Optional.of(llr.asDouble()),
        Instant.ofEpochMilli(node.get("at").asLong()),
        node.get("by").asText());
  }

  @Override
  public List<Outcome> outcomes(RolloutId id, int limit) {
    return handle
        .createQuery(
            """
            SELECT status, updated_at FROM rollout_devices
            WHERE rollout_id = :id AND status IN ('succeeded', 'failed')
            ORDER BY updated_at LIMIT :limit
            """)
        .bind("id", id.value())
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Outcome(
                    "succeeded".equals(rs.getString("status")), Columns.instant(rs, "updated_at")))
        .list();
  }
}
