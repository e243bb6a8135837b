package dev.sluice.store.jdbi;

import dev.sluice.core.PageCursor;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.CheckRecord;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseFilters;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseRepository;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.CheckReport;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Dialect;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Releases in {@code releases} (state by wire name, manifest and check report as JSON text), their
 * artifacts in {@code release_artifacts} (listed by name).
 */
final class JdbiReleaseRepository implements ReleaseRepository {
  /**
   * The rows after a page cursor in newest-first (created_at, id) order: keyset paging, with both
   * values bound, never spliced into the SQL.
   */
  static final String KEYSET =
      "(created_at < :afterCreated OR (created_at = :afterCreated AND id < :afterId))";

  /** Like {@link #KEYSET}, in oldest-first order. */
  static final String KEYSET_ASCENDING =
      "(created_at > :afterCreated OR (created_at = :afterCreated AND id > :afterId))";

  /** The column of each field a release filter may name. */
  private static final Map<String, String> FILTER_COLUMNS =
      Map.of(
          ReleaseFilters.PRODUCT.name(), "product",
          ReleaseFilters.STATE.name(), "state",
          ReleaseFilters.VERSION.name(), "version",
          ReleaseFilters.CREATED.name(), "created_at");

  private static final String COLUMNS =
      """
      id, product, version, state, manifest_json, manifest_sha256, created_by, created_at,
      updated_at, report_json, report_sha256, checked_at""";

  private final Handle handle;
  private final Dialect dialect;

  JdbiReleaseRepository(Handle handle, Dialect dialect) {
    this.handle = handle;
    this.dialect = dialect;
  }

  @Override
  public void insert(Release release) {
    Optional<CheckRecord> check = release.check();
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO releases
                  (id, product, version, state, manifest_json, manifest_sha256, created_by,
                   created_at, updated_at, standards_version, report_json, report_sha256,
                   checked_at)
                VALUES
                  (:id, :product, :version, :state, :manifestJson, :manifestSha256, :createdBy,
                   :createdAt, :updatedAt, :standardsVersion, :reportJson, :reportSha256,
                   :checkedAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("id", release.id().value())
            .bind("product", release.product().value())
            .bind("version", release.version().value())
            .bind("state", wire(release.state()))
            .bind("manifestJson", manifestText(release.manifest()))
            .bind("manifestSha256", release.manifestSha256().hex())
            .bind("createdBy", release.createdBy())
            .bind("createdAt", Columns.millis(release.createdAt()))
            .bind("updatedAt", Columns.millis(release.updatedAt()))
            .bind("standardsVersion", check.map(c -> c.report().standardsVersion()).orElse(null))
            .bind("reportJson", check.map(c -> Columns.json(c.report().toJson())).orElse(null))
            .bind("reportSha256", check.map(c -> c.reportSha256().hex()).orElse(null))
            .bind("checkedAt", check.map(c -> Columns.millis(c.checkedAt())).orElse(null))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "product '" + release.product() + "' already has a release " + release.version());
    }
    for (Artifact artifact : release.artifacts()) {
      insertArtifact(release.id(), artifact, release.createdAt());
    }
  }

  @Override
  public Optional<Release> find(ReleaseId id) {
    return findRow(id, "").map(this::withArtifacts);
  }

  @Override
  public Optional<Release> findForUpdate(ReleaseId id) {
    // SQLite has no row locks (and no FOR UPDATE): its write transactions are serialized whole.
    String lock = dialect == Dialect.POSTGRESQL ? "FOR UPDATE" : "";
    return findRow(id, lock).map(this::withArtifacts);
  }

  @Override
  public Optional<ReleaseState> state(ReleaseId id) {
    return handle
        .createQuery("SELECT state FROM releases WHERE id = :id")
        .bind("id", id.value())
        .map((rs, ctx) -> state(rs.getString("state")))
        .findOne();
  }

  @Override
  public boolean revocationRecorded(ReleaseId id) {
    return handle
            .createQuery(
                "SELECT count(*) FROM publications WHERE release_id = :id AND kind = :revocation")
            .bind("id", id.value())
            .bind(
                "revocation", dev.sluice.core.publication.ReleaseRecord.Kind.REVOCATION.wireName())
            .mapTo(Long.class)
            .one()
        > 0;
  }

  private Optional<ReleaseRow> findRow(ReleaseId id, String lock) {
    return handle
        .createQuery("SELECT <columns> FROM releases WHERE id = :id <lock>")
        .define("columns", COLUMNS)
        .define("lock", lock)
        .bind("id", id.value())
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  @Override
  public List<Release> list(
      Optional<ProductName> product,
      Optional<ReleaseState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit) {
    List<String> filters = new ArrayList<>();
    product.ifPresent(p -> filters.add("product = :product"));
    state.ifPresent(s -> filters.add("state = :state"));
    after.ifPresent(a -> filters.add(keyset(order)));
    ListFilterSql.Translation translated = ListFilterSql.translate(filter, FILTER_COLUMNS, dialect);
    filters.add(translated.sql());
    Query query =
        handle
            .createQuery("SELECT <columns> FROM releases WHERE <where> <order> LIMIT :limit")
            .define("columns", COLUMNS)
            .define("where", String.join(" AND ", filters))
            .define("order", orderBy(order))
            .bindMap(translated.parameters())
            .bind("limit", limit);
    product.ifPresent(p -> query.bind("product", p.value()));
    state.ifPresent(s -> query.bind("state", wire(s)));
    after.ifPresent(
        a -> query.bind("afterCreated", Columns.millis(a.created())).bind("afterId", a.id()));
    return withArtifacts(query.map((rs, ctx) -> row(rs)).list());
  }

  /** The keyset condition of a page cursor in creation order. */
  static String keyset(SortOrder order) {
    return order == SortOrder.ASCENDING ? KEYSET_ASCENDING : KEYSET;
  }

  /** The ORDER BY clause of a list in creation order, ties broken by id. */
  static String orderBy(SortOrder order) {
    return order == SortOrder.ASCENDING
        ? "ORDER BY created_at ASC, id ASC"
        : "ORDER BY created_at DESC, id DESC";
  }

  @Override
  public Optional<Release> findByManifest(
      dev.sluice.trust.hash.Sha256 manifestSha256, List<ReleaseState> states) {
    if (states.isEmpty()) {
      return Optional.empty();
    }
    return handle
        .createQuery(
            "SELECT id FROM releases WHERE manifest_sha256 = :sha256 AND state IN (<states>)"
                + " ORDER BY id LIMIT 1")
        .bind("sha256", manifestSha256.hex())
        .bindList("states", states.stream().map(JdbiReleaseRepository::wire).toList())
        .mapTo(String.class)
        .findOne()
        .flatMap(id -> find(new ReleaseId(id)));
  }

  @Override
  public Optional<Release> latestIn(ProductName product, List<ReleaseState> states) {
    if (states.isEmpty()) {
      return Optional.empty();
    }
    // Version precedence (SemVer) is not an SQL ordering: pick the newest in Java.
    Optional<String> newest =
        handle
            .createQuery(
                "SELECT id, version FROM releases WHERE product = :product AND state IN (<states>)")
            .bind("product", product.value())
            .bindList("states", states.stream().map(JdbiReleaseRepository::wire).toList())
            .map((rs, ctx) -> Map.entry(rs.getString("id"), new Version(rs.getString("version"))))
            .stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey);
    return newest.flatMap(id -> find(new ReleaseId(id)));
  }

  @Override
  public void addArtifact(ReleaseId id, Artifact artifact, Instant at) {
    insertArtifact(id, artifact, at);
    touch(id, at);
  }

  @Override
  public boolean replaceArtifact(ReleaseId id, Artifact artifact, Instant at) {
    int updated =
        handle
            .createUpdate(
                """
                UPDATE release_artifacts SET sha256 = :sha256, size = :size,
                  uploaded_at = :uploadedAt
                WHERE release_id = :releaseId AND name = :name
                """)
            .bind("releaseId", id.value())
            .bind("name", artifact.name().value())
            .bind("sha256", artifact.sha256().hex())
            .bind("size", artifact.size())
            .bind("uploadedAt", Columns.millis(at))
            .execute();
    if (updated == 0) {
      return false;
    }
    touch(id, at);
    return true;
  }

  @Override
  public boolean delete(ReleaseId id, ReleaseState expected) {
    boolean inState =
        handle
                .createQuery("SELECT COUNT(*) FROM releases WHERE id = :id AND state = :state")
                .bind("id", id.value())
                .bind("state", wire(expected))
                .mapTo(Integer.class)
                .one()
            == 1;
    if (!inState) {
      return false;
    }
    for (String table : List.of("release_status_notes", "signoffs", "release_artifacts")) {
      handle
          .createUpdate("DELETE FROM " + table + " WHERE release_id = :id")
          .bind("id", id.value())
          .execute();
    }
    return handle
            .createUpdate("DELETE FROM releases WHERE id = :id AND state = :state")
            .bind("id", id.value())
            .bind("state", wire(expected))
            .execute()
        == 1;
  }

  private void insertArtifact(ReleaseId id, Artifact artifact, Instant at) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO release_artifacts (release_id, name, sha256, size, uploaded_at)
                VALUES (:releaseId, :name, :sha256, :size, :uploadedAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("releaseId", id.value())
            .bind("name", artifact.name().value())
            .bind("sha256", artifact.sha256().hex())
            .bind("size", artifact.size())
            .bind("uploadedAt", Columns.millis(at))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "release " + id + " already has an artifact named '" + artifact.name() + "'");
    }
  }

  @Override
  public void saveCheck(ReleaseId id, CheckRecord check, ReleaseState newState, Instant at) {
    handle
        .createUpdate(
            """
            UPDATE releases SET state = :state, standards_version = :standardsVersion,
              report_json = :reportJson, report_sha256 = :reportSha256, checked_at = :checkedAt,
              updated_at = :at
            WHERE id = :id
            """)
        .bind("state", wire(newState))
        .bind("standardsVersion", check.report().standardsVersion())
        .bind("reportJson", Columns.json(check.report().toJson()))
        .bind("reportSha256", check.reportSha256().hex())
        .bind("checkedAt", Columns.millis(check.checkedAt()))
        .bind("at", Columns.millis(at))
        .bind("id", id.value())
        .execute();
  }

  @Override
  public boolean transition(ReleaseId id, ReleaseState expected, ReleaseState next, Instant at) {
    return handle
            .createUpdate(
                """
                UPDATE releases SET state = :next, updated_at = :at
                WHERE id = :id AND state = :expected
                """)
            .bind("next", wire(next))
            .bind("at", Columns.millis(at))
            .bind("id", id.value())
            .bind("expected", wire(expected))
            .execute()
        == 1;
  }

  private void touch(ReleaseId id, Instant at) {
    handle
        .createUpdate("UPDATE releases SET updated_at = :at WHERE id = :id")
        .bind("at", Columns.millis(at))
        .bind("id", id.value())
        .execute();
  }

  private List<Release> withArtifacts(List<ReleaseRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, List<Artifact>> artifacts = artifactsOf(rows.stream().map(ReleaseRow::id).toList());
    return rows.stream()
        .map(row -> row.toRelease(artifacts.getOrDefault(row.id(), List.of())))
        .toList();
  }

  /** The artifacts of each release, by release id, in name order. */
  private Map<String, List<Artifact>> artifactsOf(List<String> releaseIds) {
    Map<String, List<Artifact>> byRelease = new HashMap<>();
    handle
        .createQuery(
            """
            SELECT release_id, name, sha256, size FROM release_artifacts
            WHERE release_id IN (<ids>) ORDER BY release_id, name
            """)
        .bindList("ids", releaseIds)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("release_id"),
                    new Artifact(
                        new ArtifactName(rs.getString("name")),
                        new Sha256(rs.getString("sha256")),
                        rs.getLong("size"))))
        .forEach(
            e -> byRelease.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    // Collation may differ between databases; the domain's order is by code point.
    byRelease.values().forEach(list -> list.sort(Comparator.comparing(a -> a.name().value())));
    return byRelease;
  }

  private Release withArtifacts(ReleaseRow row) {
    return row.toRelease(artifactsOf(List.of(row.id())).getOrDefault(row.id(), List.of()));
  }

  /** The manifest as uploaded, so that its digest can be recomputed and it can be served back. */
  private static String manifestText(ReleaseManifest manifest) {
    byte[] raw = manifest.rawBytes();
    String text = new String(raw, StandardCharsets.UTF_8);
    if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), raw)) {
      throw new StoreException("a manifest must be UTF-8 to be stored verbatim");
    }
    return text;
  }

  private static String wire(ReleaseState state) {
    return state.wireName();
  }

  private static ReleaseState state(String wire) {
    return ReleaseState.valueOf(wire.toUpperCase(Locale.ROOT));
  }

  private static ReleaseRow row(ResultSet rs) throws SQLException {
    Optional<CheckRecord> check = Optional.empty();
    String reportJson = rs.getString("report_json");
    if (reportJson != null) {
      check =
          Optional.of(
              new CheckRecord(
                  CheckReport.fromJson(Columns.json(rs, "report_json")),
                  new Sha256(rs.getString("report_sha256")),
                  Columns.instant(rs, "checked_at")));
    }
    return new ReleaseRow(
        rs.getString("id"),
        rs.getString("product"),
        rs.getString("version"),
        state(rs.getString("state")),
        ReleaseManifest.stored(rs.getString("manifest_json").getBytes(StandardCharsets.UTF_8)),
        new Sha256(rs.getString("manifest_sha256")),
        check,
        rs.getString("created_by"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "updated_at"));
  }

  private record ReleaseRow(
      String id,
      String product,
      String version,
      ReleaseState state,
      ReleaseManifest manifest,
      Sha256 manifestSha256,
      Optional<CheckRecord> check,
      String createdBy,
      Instant createdAt,
      Instant updatedAt) {
    Release toRelease(List<Artifact> artifacts) {
      return new Release(
          new ReleaseId(id),
          new ProductName(product),
          new Version(version),
          state,
          manifest,
          manifestSha256,
          artifacts,
          check,
          createdBy,
          createdAt,
          updatedAt);
    }
  }

  @Override
  public Optional<dev.sluice.core.release.StatusNote> statusNote(ReleaseId id) {
    return handle
        .createQuery(
            """
            SELECT release_id, note, target_date, updated_by, updated_at
            FROM release_status_notes WHERE release_id = :id
            """)
        .bind("id", id.value())
        .map((rs, ctx) -> statusNote(rs))
        .findOne();
  }

  @Override
  public Map<ReleaseId, dev.sluice.core.release.StatusNote> statusNotes(
      java.util.Collection<ReleaseId> ids) {
    Map<ReleaseId, dev.sluice.core.release.StatusNote> notes = new HashMap<>();
    if (ids.isEmpty()) {
      return notes;
    }
    handle
        .createQuery(
            """
            SELECT release_id, note, target_date, updated_by, updated_at
            FROM release_status_notes WHERE release_id IN (<ids>)
            """)
        .bindList("ids", ids.stream().map(ReleaseId::value).distinct().toList())
        .map((rs, ctx) -> Map.entry(new ReleaseId(rs.getString("release_id")), statusNote(rs)))
        .forEach(e -> notes.put(e.getKey(), e.getValue()));
    return notes;
  }

  @Override
  public void saveStatusNote(ReleaseId id, dev.sluice.core.release.StatusNote note) {
    handle
        .createUpdate(
            """
            INSERT INTO release_status_notes (release_id, note, target_date, updated_by, updated_at)
            VALUES (:id, :note, :targetDate, :updatedBy, :updatedAt)
            ON CONFLICT (release_id) DO UPDATE SET note = excluded.note,
              target_date = excluded.target_date, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at
            """)
        .bind("id", id.value())
        .bind("note", note.text())
        .bind("targetDate", note.targetDate().map(java.time.LocalDate::toString).orElse(null))
        .bind("updatedBy", note.updatedBy())
        .bind("updatedAt", Columns.millis(note.updatedAt()))
        .execute();
  }

  private static dev.sluice.core.release.StatusNote statusNote(ResultSet rs) throws SQLException {
    return new dev.sluice.core.release.StatusNote(
        rs.getString("note"),
        Columns.optionalString(rs, "target_date").map(java.time.LocalDate::parse),
        rs.getString("updated_by"),
        Columns.instant(rs, "updated_at"));
  }
}
