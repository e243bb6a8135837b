package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.device.FilterNode;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.store.db.Dialect;
import dev.sluice.trust.hash.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Devices in {@code devices}, their reported attributes in {@code device_attributes} and their tags
 * in {@code device_tags}. Filters that {@link DeviceFilters#parse} produced run as SQL ({@link
 * FilterSql}); any other {@link DeviceFilter} is applied in memory over pages of devices.
 */
final class JdbiDeviceRepository implements DeviceRepository {
  /** Ids per {@code IN (...)} list: well under every database's limit on bound parameters. */
  private static final int CHUNK = 500;

  private static final String COLUMNS =
      "d.controller_id, d.product, d.installed_version, d.installed_release, d.status,"
          + " d.registered_at, d.last_seen, d.decommissioned_at";

  /** Fleet queries (lists, counts, rollouts) leave decommissioned devices out. */
  private static final String IN_SERVICE = " AND d.decommissioned_at IS NULL";

  private final Handle handle;
  private final Dialect dialect;

  JdbiDeviceRepository(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public void insert(Device device, Sha256 targetTokenHash) {
    insertAll(List.of(new Registration(device, targetTokenHash)));
  }

  @Override
  public void insertAll(List<Registration> registrations) {
    if (registrations.isEmpty()) {
      return;
    }
    List<String> taken =
        existing(registrations.stream().map(r -> r.device().id()).toList()).stream()
            .map(ControllerId::value)
            .sorted()
            .toList();
    if (!taken.isEmpty()) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          (taken.size() == 1 ? "device '" : "devices '")
              + String.join("', '", taken.subList(0, Math.min(taken.size(), 20)))
              + (taken.size() > 20 ? "' and " + (taken.size() - 20) + " more" : "'")
              + (taken.size() == 1 ? " is" : " are")
              + " already registered");
    }
    List<Object[]> devices = new ArrayList<>(registrations.size());
    List<Object[]> tags = new ArrayList<>();
    List<Object[]> attributes = new ArrayList<>();
    for (Registration r : registrations) {
      Device d = r.device();
      String id = d.id().value();
      devices.add(
          new Object[] {
            id,
            d.product().value(),
            r.targetTokenHash().hex(),
            d.installedVersion().map(Version::value).orElse(null),
            d.installedVersion().map(VersionKey::of).orElse(null),
            d.installedRelease().map(ReleaseId::value).orElse(null),
            wire(d.status()),
            Columns.millis(d.registeredAt()),
            Columns.millis(d.registeredAt()),
            d.lastSeen().map(Columns::millis).orElse(null)
          });
      d.tags().forEach(tag -> tags.add(new Object[] {id, tag}));
      d.attributes().forEach((k, v) -> attributes.add(new Object[] {id, k, v}));
    }
    int inserted = DEVICE_ROWS.apply(handle).insert(devices);
    if (inserted != devices.size()) {
      // Another transaction registered one of the ids since the check above (PostgreSQL).
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "a device in the batch was registered concurrently; nothing was registered");
    }
    new MultiRowInsert(
            handle,
            "device_tags",
            List.of("controller_id", "tag"),
            new int[] {Types.VARCHAR, Types.VARCHAR},
            false)
        .insert(tags);
    new MultiRowInsert(
            handle,
            "device_attributes",
            List.of("controller_id", "name", "value"),
            new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR},
            false)
        .insert(attributes);
  }

  private static final java.util.function.Function<Handle, MultiRowInsert> DEVICE_ROWS =
      h ->
          new MultiRowInsert(
              h,
              "devices",
              List.of(
                  "controller_id",
                  "product",
                  "token_sha256",
                  "installed_version",
                  "version_key",
                  "installed_release",
                  "status",
                  "registered_at",
                  "updated_at",
                  "last_seen"),
              new int[] {
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.BIGINT,
                Types.BIGINT,
                Types.BIGINT
              },
              true);

  @Override
  public Set<ControllerId> existing(Collection<ControllerId> ids) {
    Set<ControllerId> found = new HashSet<>();
    List<String> all = ids.stream().map(ControllerId::value).distinct().toList();
    for (int from = 0; from < all.size(); from += CHUNK) {
      handle
          .createQuery("SELECT controller_id FROM devices WHERE controller_id IN (<ids>)")
          .bindList("ids", all.subList(from, Math.min(all.size(), from + CHUNK)))
          .map((rs, ctx) -> new ControllerId(rs.getString(1)))
          .forEach(found::add);
    }
    return found;
  }

  @Override
  public Optional<Device> find(ControllerId id) {
    return row(id, "").map(this::loadOne);
  }

  @Override
  public Optional<Device> findForUpdate(ControllerId id) {
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    return load(row(id, lock).stream().toList()).stream().findFirst();
  }

  @Override
  public List<Device> findAllForUpdate(Collection<ControllerId> ids) {
    // Sorted, and locked in that order ({@code ORDER BY ... FOR UPDATE}), as touchLastSeen locks:
    // two transactions locking overlapping sets of devices cannot deadlock over them.
    List<String> sorted = ids.stream().map(ControllerId::value).distinct().sorted().toList();
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    List<Row> rows = new ArrayList<>(sorted.size());
    for (int from = 0; from < sorted.size(); from += CHUNK) {
      handle
          .createQuery(
              "SELECT "
                  + COLUMNS
                  + " FROM devices d WHERE d.controller_id IN (<ids>) ORDER BY d.controller_id"
                  + lock)
          .bindList("ids", sorted.subList(from, Math.min(sorted.size(), from + CHUNK)))
          .map((rs, ctx) -> row(rs))
          .forEach(rows::add);
    }
    return load(rows);
  }

  private Optional<Row> row(ControllerId id, String lock) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM devices d WHERE d.controller_id = :id" + lock)
        .bind("id", id.value())
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  @Override
  public Optional<Sha256> targetTokenHash(ControllerId id) {
    return handle
        .createQuery(
            """
            SELECT token_sha256 FROM devices WHERE controller_id = :id
              AND token_revoked_at IS NULL AND decommissioned_at IS NULL
            """)
        .bind("id", id.value())
        .map((rs, ctx) -> new Sha256(rs.getString(1)))
        .findOne();
  }

  /**
   * The device's row with its live token hash, its attributes and its tags, in one statement: the
   * common poll miss reads the three. Nine columns, not twelve: SQLite's driver reads every
   * column's name anew on every execution (a buffer, bytes and a string each, the largest
   * allocation of a poll miss), so an attribute's name and value and a tag share the first two
   * columns with the device's id and product, and no column says which part a row is: only the
   * device's row has a {@code registered_at} (never NULL there), and only an attribute a value.
   */
  private static final String WITH_TARGET_TOKEN =
      "SELECT "
          + COLUMNS
          + ", CASE WHEN d.token_revoked_at IS NULL AND d.decommissioned_at IS NULL"
          + " THEN d.token_sha256 END AS live_token"
          + " FROM devices d WHERE d.controller_id = ?"
          + " UNION ALL SELECT name, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
          + " FROM device_attributes WHERE controller_id = ?"
          + " UNION ALL SELECT tag, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
          + " FROM device_tags WHERE controller_id = ?";

  /** Plain JDBC (a poll miss runs it): see {@link PlainQuery}. */
  @Override
  public Optional<WithTargetToken> findWithTargetToken(ControllerId id) {
    String key = id.value();
    Row[] row = new Row[1];
    String[] token = new String[1];
    TreeMap<String, String> attributes = new TreeMap<>();
    TreeSet<String> tags = new TreeSet<>();
    PlainQuery.forEach(
        handle,
        WITH_TARGET_TOKEN,
        rs -> {
          rs.getLong(6);
          if (!rs.wasNull()) {
            row[0] = row(rs, 1);
            token[0] = rs.getString(9);
            return;
          }
          // An attribute's value is never NULL; a tag has none.
          String value = rs.getString(2);
          if (value != null) {
            attributes.put(rs.getString(1), value);
          } else {
            tags.add(rs.getString(1));
          }
        },
        key,
        key,
        key);
    if (row[0] == null) {
      return Optional.empty();
    }
    return Optional.of(
        new WithTargetToken(
            row[0].toDevice(attributes, tags), Optional.ofNullable(token[0]).map(Sha256::new)));
  }

  @Override
  public void setTargetToken(ControllerId id, Sha256 targetTokenHash, Instant at) {
    handle
        .createUpdate(
            """
            UPDATE devices SET token_sha256 = :hash, token_revoked_at = NULL, updated_at = :at
            WHERE controller_id = :id AND decommissioned_at IS NULL
            """)
        .bind("id", id.value())
        .bind("hash", targetTokenHash.hex())
        .bind("at", Columns.millis(at))
        .execute();
  }

  @Override
  public boolean revokeTargetToken(ControllerId id, Instant at) {
    return handle
            .createUpdate(
                """
                UPDATE devices SET token_revoked_at = :at, updated_at = :at
                WHERE controller_id = :id AND token_revoked_at IS NULL
                """)
            .bind("id", id.value())
            .bind("at", Columns.millis(at))
            .execute()
        == 1;
  }

  @Override
  public boolean targetTokenRevoked(ControllerId id) {
    return handle
        .createQuery("SELECT token_revoked_at IS NOT NULL FROM devices WHERE controller_id = :id")
        .bind("id", id.value())
        .mapTo(Boolean.class)
        .findOne()
        .orElse(false);
  }

  @Override
  public boolean decommission(ControllerId id, Instant at) {
    return handle
            .createUpdate(
                """
                UPDATE devices SET decommissioned_at = :at, updated_at = :at
                WHERE controller_id = :id AND decommissioned_at IS NULL
                """)
            .bind("id", id.value())
            .bind("at", Columns.millis(at))
            .execute()
        == 1;
  }

  @Override
  public List<Device> list(
      Optional<ProductName> product, DeviceFilter filter, Optional<ControllerId> after, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    if (filter instanceof FilterNode node) {
      return load(rows(product, node, after, limit));
    }
    // A filter the store cannot translate: scan in pages and keep what matches.
    List<Device> out = new ArrayList<>();
    Optional<ControllerId> cursor = after;
    while (out.size() < limit) {
      List<Device> page = load(rows(product, DeviceFilters.all(), cursor, CHUNK));
      for (Device device : page) {
        if (filter.matches(device) && out.size() < limit) {
          out.add(device);
        }
      }
      if (page.size() < CHUNK) {
        break;
      }
      cursor = Optional.of(page.get(page.size() - 1).id());
    }
    return out;
  }

  private List<Row> rows(
      Optional<ProductName> product, FilterNode filter, Optional<ControllerId> after, int limit) {
    FilterSql.Translation where = FilterSql.translate(filter, dialect);
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM devices d WHERE ");
    sql.append(where.sql()).append(IN_SERVICE);
    product.ifPresent(p -> sql.append(" AND d.product = :product"));
    after.ifPresent(a -> sql.append(" AND d.controller_id > :after"));
    sql.append(" ORDER BY d.controller_id LIMIT :limit");
    Query query = handle.createQuery(sql.toString()).bindMap(where.parameters());
    product.ifPresent(p -> query.bind("product", p.value()));
    after.ifPresent(a -> query.bind("after", a.value()));
    return query.bind("limit", limit).map((rs, ctx) -> row(rs)).list();
  }

  @Override
  public List<Device> registeredAfter(
      Optional<ProductName> product,
      DeviceFilter filter,
      Instant since,
      Optional<ControllerId> after,
      int limit) {
    if (limit <= 0) {
      return List.of();
    }
    FilterNode node = filter instanceof FilterNode n ? n : DeviceFilters.all();
    List<Device> out = new ArrayList<>();
    Instant cursorTime = since;
    Optional<ControllerId> cursorId = after;
    while (out.size() < limit) {
      FilterSql.Translation where = FilterSql.translate(node, dialect);
      StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM devices d WHERE ");
      sql.append(where.sql()).append(IN_SERVICE);
      product.ifPresent(p -> sql.append(" AND d.product = :product"));
      sql.append(
          cursorId.isPresent()
              ? " AND (d.registered_at > :since"
                  + " OR (d.registered_at = :since AND d.controller_id > :after))"
              : " AND d.registered_at > :since");
      sql.append(" ORDER BY d.registered_at, d.controller_id LIMIT :limit");
      Query query = handle.createQuery(sql.toString()).bindMap(where.parameters());
      product.ifPresent(p -> query.bind("product", p.value()));
      cursorId.ifPresent(a -> query.bind("after", a.value()));
      List<Device> page =
          load(
              query
                  .bind("since", cursorTime.toEpochMilli())
                  .bind("limit", limit)
                  .map((rs, ctx) -> row(rs))
                  .list());
      for (Device device : page) {
        if ((node == filter || filter.matches(device)) && out.size() < limit) {
          out.add(device);
        }
      }
      if (node == filter || page.size() < limit) {
        break;
      }
      cursorTime = page.getLast().registeredAt();
      cursorId = Optional.of(page.getLast().id());
    }
    return out;
  }

  @Override
  public long count(Optional<ProductName> product, DeviceFilter filter) {
    if (!(filter instanceof FilterNode node)) {
      long n = 0;
      Optional<ControllerId> cursor = Optional.empty();
      while (true) {
        List<Device> page = list(product, DeviceFilters.all(), cursor, CHUNK);
        n += page.stream().filter(filter::matches).count();
        if (page.size() < CHUNK) {
          return n;
        }
        cursor = Optional.of(page.get(page.size() - 1).id());
      }
    }
    FilterSql.Translation where = FilterSql.translate(node, dialect);
    String sql =
        "SELECT count(*) FROM devices d WHERE "
            + where.sql()
            + IN_SERVICE
            + (product.isPresent() ? " AND d.product = :product" : "");
    Query query = handle.createQuery(sql).bindMap(where.parameters());
    product.ifPresent(p -> query.bind("product", p.value()));
    return query.mapTo(Long.class).one();
  }

  @Override
  public void updateAttributes(ControllerId id, Map<String, String> attributes, Instant at) {
    touch(id, at);
    handle
        .createUpdate("DELETE FROM device_attributes WHERE controller_id = :id")
        .bind("id", id.value())
        .execute();
    if (attributes.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO device_attributes (controller_id, name, value) VALUES (:id, :name, :value)");
    new TreeMap<>(attributes)
        .forEach((k, v) -> batch.bind("id", id.value()).bind("name", k).bind("value", v).add());
    batch.execute();
  }

  @Override
  public void updateTags(ControllerId id, Set<String> tags, Instant at) {
    touch(id, at);
    handle
        .createUpdate("DELETE FROM device_tags WHERE controller_id = :id")
        .bind("id", id.value())
        .execute();
    if (tags.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch("INSERT INTO device_tags (controller_id, tag) VALUES (:id, :tag)");
    new TreeSet<>(tags).forEach(tag -> batch.bind("id", id.value()).bind("tag", tag).add());
    batch.execute();
  }

  @Override
  public void setInstalled(
      ControllerId id, Version version, Optional<ReleaseId> release, Instant at) {
    int updated =
        handle
            .createUpdate(
                """
                UPDATE devices SET installed_version = :version, version_key = :versionKey,
                  installed_release = :release, updated_at = :at
                WHERE controller_id = :id
                """)
            .bind("version", version.value())
            .bind("versionKey", VersionKey.of(version))
            .bind("release", release.map(ReleaseId::value).orElse(null))
            .bind("at", Columns.millis(at))
            .bind("id", id.value())
            .execute();
    requireUpdated(id, updated);
  }

  @Override
  public void setStatus(ControllerId id, DeviceStatus status, Instant at) {
    int updated =
        handle
            .createUpdate(
                "UPDATE devices SET status = :status, updated_at = :at WHERE controller_id = :id")
            .bind("status", wire(status))
            .bind("at", Columns.millis(at))
            .bind("id", id.value())
            .execute();
    requireUpdated(id, updated);
  }

  @Override
  public void setStatusAll(Collection<ControllerId> ids, DeviceStatus status, Instant at) {
    List<String> distinct = ids.stream().map(ControllerId::value).distinct().sorted().toList();
    for (int from = 0; from < distinct.size(); from += CHUNK) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK));
      int updated =
          handle
              .createUpdate(
                  "UPDATE devices SET status = :status, updated_at = :at"
                      + " WHERE controller_id IN (<ids>)")
              .bind("status", wire(status))
              .bind("at", Columns.millis(at))
              .bindList("ids", chunk)
              .execute();
      if (updated != chunk.size()) {
        // As setStatus: a device that does not exist is an error, and nothing is half-written.
        Set<ControllerId> found = existing(chunk.stream().map(ControllerId::new).toList());
        String missing =
            chunk.stream()
                .filter(id -> !found.contains(new ControllerId(id)))
                .findFirst()
                .orElse("?");
        throw new SluiceException.NotFound("device", missing);
      }
    }
  }

  @Override
  public void touchLastSeen(Map<ControllerId, Instant> seen) {
    if (seen.isEmpty()) {
      return;
    }
    TreeMap<ControllerId, Instant> ordered = new TreeMap<>(seen);
    if (dialect == Dialect.POSTGRESQL) {
      touchLastSeenAtOnce(ordered);
      return;
    }
    // SQLite: one statement execution per device in a batch (no arrays; the write transaction
    // holds the database's only write lock anyway, and a local statement costs no round trip).
    PreparedBatch batch =
        handle.prepareBatch(
            """
            UPDATE devices SET last_seen = :at
            WHERE controller_id = :id AND (last_seen IS NULL OR last_seen < :at)
            """);
    ordered.forEach((id, at) -> batch.bind("id", id.value()).bind("at", Columns.millis(at)).add());
    batch.execute();
  }

  /**
   * PostgreSQL: the whole chunk in one statement over two arrays (ids and times), where a JDBC
   * batch executed one statement per device (a profile of the fleet's backends put most of their
   * CPU in per-statement work: executor start, round trips). The rows are locked first, in
   * controller id order ({@code ORDER BY ... FOR UPDATE} locks as it returns the sorted rows), so
   * two instances flushing overlapping chunks cannot deadlock; a time is never lowered.
   */
  private void touchLastSeenAtOnce(TreeMap<ControllerId, Instant> seen) {
    String[] ids = new String[seen.size()];
    Long[] times = new Long[seen.size()];
    int i = 0;
    for (Map.Entry<ControllerId, Instant> e : seen.entrySet()) {
      ids[i] = e.getKey().value();
      times[i] = Columns.millis(e.getValue());
      i++;
    }
    handle
        .createUpdate(
            """
            WITH seen AS (
              SELECT u.id, u.at FROM unnest(CAST(:ids AS text[]), CAST(:times AS bigint[])) AS u(id, at)
            ), locked AS (
              SELECT d.controller_id, seen.at FROM devices d JOIN seen ON d.controller_id = seen.id
              WHERE d.last_seen IS NULL OR d.last_seen < seen.at
              ORDER BY d.controller_id
              FOR UPDATE OF d
            )
            UPDATE devices SET last_seen = locked.at FROM locked
            WHERE devices.controller_id = locked.controller_id
              AND (devices.last_seen IS NULL OR devices.last_seen < locked.at)
            """)
        .bindArray("ids", String.class, (Object[]) ids)
        .bindArray("times", Long.class, (Object[]) times)
        .execute();
  }

  private void touch(ControllerId id, Instant at) {
    int updated =
        handle
            .createUpdate("UPDATE devices SET updated_at = :at WHERE controller_id = :id")
            .bind("at", Columns.millis(at))
            .bind("id", id.value())
            .execute();
    requireUpdated(id, updated);
  }

  private static void requireUpdated(ControllerId id, int updated) {
    if (updated == 0) {
      throw new SluiceException.NotFound("device", id.value());
    }
  }

  /**
   * One device with its attributes and tags, read with one statement for both (a device API poll
   * reads one device; {@link #load} takes two statements per chunk of devices).
   */
  private Device loadOne(Row row) {
    TreeMap<String, String> attributes = new TreeMap<>();
    TreeSet<String> tags = new TreeSet<>();
    handle
        .createQuery(
            "SELECT name, value FROM device_attributes WHERE controller_id = :id"
                + " UNION ALL SELECT tag, NULL FROM device_tags WHERE controller_id = :id")
        .bind("id", row.id())
        .map((rs, ctx) -> Map.entry(rs.getString(1), Optional.ofNullable(rs.getString(2))))
        .forEach(
            e -> {
              // An attribute's value is never NULL; a tag has none.
              if (e.getValue().isPresent()) {
                attributes.put(e.getKey(), e.getValue().get());
              } else {
                tags.add(e.getKey());
              }
            });
    return row.toDevice(attributes, tags);
  }

  /** The devices of the rows, in row order, with their attributes and tags. */
  private List<Device> load(List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, TreeMap<String, String>> attributes = new HashMap<>();
    Map<String, TreeSet<String>> tags = new HashMap<>();
    List<String> ids = rows.stream().map(Row::id).toList();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      handle
          .createQuery(
              "SELECT controller_id, name, value FROM device_attributes"
                  + " WHERE controller_id IN (<ids>)")
          .bindList("ids", chunk)
          .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
          .forEach(
              r ->
                  attributes
                      .computeIfAbsent(r.get(0), k -> new TreeMap<>())
                      .put(r.get(1), r.get(2)));
      handle
          .createQuery("SELECT controller_id, tag FROM device_tags WHERE controller_id IN (<ids>)")
          .bindList("ids", chunk)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> tags.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue()));
    }
    return rows.stream()
        .map(
            r ->
                r.toDevice(
                    attributes.getOrDefault(r.id(), new TreeMap<>()),
                    tags.getOrDefault(r.id(), new TreeSet<>())))
        .toList();
  }

  private static String wire(DeviceStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static Row row(ResultSet rs) throws SQLException {
    return row(rs, 1);
  }

  /** The row of {@link #COLUMNS}, read by position from column {@code first} on. */
  private static Row row(ResultSet rs, int first) throws SQLException {
    long lastSeen = rs.getLong(first + 6);
    Optional<Instant> seen =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastSeen));
    long decommissioned = rs.getLong(first + 7);
    Optional<Instant> gone =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(decommissioned));
    return new Row(
        rs.getString(first),
        rs.getString(first + 1),
        Optional.ofNullable(rs.getString(first + 2)),
        Optional.ofNullable(rs.getString(first + 3)),
        rs.getString(first + 4),
        Instant.ofEpochMilli(rs.getLong(first + 5)),
        seen,
        gone);
  }

  private record Row(
      String id,
      String product,
      Optional<String> version,
      Optional<String> release,
      String status,
      Instant registeredAt,
      Optional<Instant> lastSeen,
      Optional<Instant> decommissionedAt) {
    Device toDevice(TreeMap<String, String> attributes, TreeSet<String> tags) {
      return new Device(
          new ControllerId(id),
          new ProductName(product),
          attributes,
          tags,
          version.map(Version::new),
          release.map(ReleaseId::new),
          DeviceStatus.valueOf(status.toUpperCase(Locale.ROOT)),
          registeredAt,
          lastSeen,
          decommissionedAt);
    }
  }

  @Override
  public Map<String, Long> versionCounts(Optional<ProductName> product) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    Query query =
        handle.createQuery(
            "SELECT COALESCE(installed_version, '') AS version, COUNT(*) AS n FROM devices"
                + (product.isPresent() ? " WHERE product = :product" : "")
                + " GROUP BY COALESCE(installed_version, '')");
    product.ifPresent(p -> query.bind("product", p.value()));
    query
        .map((rs, ctx) -> Map.entry(rs.getString("version"), rs.getLong("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }
}
