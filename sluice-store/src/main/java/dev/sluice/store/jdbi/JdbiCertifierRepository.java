package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.CertifierKeyHistory;
import dev.sluice.core.product.CertifierRepository;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Certifiers in {@code certifiers} (with their key-set version) and their public keys, in
 * registration order, in {@code certifier_keys} (TUF key JSON; revoked keys stay, marked). A key id
 * is registered at most once, to anyone, ever.
 */
final class JdbiCertifierRepository implements CertifierRepository {
  private final Handle handle;

  JdbiCertifierRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Certifier certifier) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO certifiers (id, display_name, created_at, key_version)
                VALUES (:id, :displayName, :createdAt, :keyVersion)
                ON CONFLICT DO NOTHING
                """)
            .bind("id", certifier.id().value())
            .bind("displayName", certifier.displayName())
            .bind("keyVersion", certifier.keyVersion())
            .bind("createdAt", Columns.millis(certifier.createdAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS, "certifier '" + certifier.id() + "' already exists");
    }
    for (int i = 0; i < certifier.keys().size(); i++) {
      insertKey(
          certifier.id(),
          certifier.keys().get(i),
          i,
          certifier.createdAt(),
          certifier.keyVersion());
    }
  }

  @Override
  public int addKey(CertifierId certifier, VerificationKey key, Instant at) {
    int version = bumpVersion(certifier);
    Optional<Integer> next =
        handle
            .createQuery(
                """
                SELECT (SELECT coalesce(max(k.position), -1) + 1 FROM certifier_keys k
                        WHERE k.certifier_id = c.id) AS next_position
                FROM certifiers c WHERE c.id = :id
                """)
            .bind("id", certifier.value())
            .mapTo(Integer.class)
            .findOne();
    insertKey(
        certifier,
        key,
        next.orElseThrow(() -> new SluiceException.NotFound("certifier", certifier.value())),
        at,
        version);
    return version;
  }

  @Override
  public int revokeKey(CertifierId certifier, String keyId, Instant at) {
    int version = bumpVersion(certifier);
    int revoked =
        handle
            .createUpdate(
                """
                UPDATE certifier_keys SET revoked_at = :at, revoked_version = :version
                WHERE certifier_id = :certifier AND key_id = :keyId AND revoked_at IS NULL
                """)
            .bind("at", Columns.millis(at))
            .bind("version", version)
            .bind("certifier", certifier.value())
            .bind("keyId", keyId)
            .execute();
    if (revoked == 0) {
      throw new SluiceException.NotFound("current key of certifier '" + certifier + "'", keyId);
    }
    return version;
  }

  private int bumpVersion(CertifierId certifier) {
    return handle
        .createQuery(
            """
            UPDATE certifiers SET key_version = key_version + 1 WHERE id = :id
            RETURNING key_version
            """)
        .bind("id", certifier.value())
        .mapTo(Integer.class)
        .findOne()
        .orElseThrow(() -> new SluiceException.NotFound("certifier", certifier.value()));
  }

  private void insertKey(
      CertifierId certifier, VerificationKey key, int position, Instant at, int version) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO certifier_keys
                  (key_id, certifier_id, key_json, position, added_at, added_version)
                VALUES (:keyId, :certifier, :keyJson, :position, :addedAt, :version)
                ON CONFLICT DO NOTHING
                """)
            .bind("version", version)
            .bind("keyId", key.keyId())
            .bind("certifier", certifier.value())
            .bind("keyJson", Columns.json(key.toTufJson()))
            .bind("position", position)
            .bind("addedAt", Columns.millis(at))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS, "key " + key.keyId() + " is already registered");
    }
  }

  @Override
  public Optional<Certifier> find(CertifierId id) {
    List<VerificationKey> keys =
        handle
            .createQuery(
                """
                SELECT key_json FROM certifier_keys
                WHERE certifier_id = :id AND revoked_at IS NULL ORDER BY position
                """)
            .bind("id", id.value())
            .map((rs, ctx) -> VerificationKey.fromTufJson(Columns.json(rs, "key_json")))
            .list();
    return handle
        .createQuery(
            "SELECT id, display_name, created_at, key_version FROM certifiers WHERE id = :id")
        .bind("id", id.value())
        .map(
            (rs, ctx) ->
                new Certifier(
                    id,
                    rs.getString("display_name"),
                    keys,
                    Columns.instant(rs, "created_at"),
                    rs.getInt("key_version")))
        .findOne();
  }

  @Override
  public List<Certifier> list() {
    return withKeys(
        handle
            .createQuery(
                "SELECT id, display_name, created_at, key_version FROM certifiers ORDER BY id")
            .map((rs, ctx) -> row(rs))
            .list());
  }

  @Override
  public List<Certifier> list(Optional<CertifierId> after, int limit) {
    var query =
        handle
            .createQuery(
                """
                SELECT id, display_name, created_at, key_version FROM certifiers <where>
                ORDER BY id LIMIT :limit
                """)
            .define("where", after.isPresent() ? "WHERE id > :after" : "")
            .bind("limit", limit);
    after.ifPresent(a -> query.bind("after", a.value()));
    return withKeys(query.map((rs, ctx) -> row(rs)).list());
  }

  /** A certifier's row, before its keys are read. */
  private record CertifierRow(String id, String displayName, Instant createdAt, int keyVersion) {}

  private static CertifierRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new CertifierRow(
        rs.getString("id"),
        rs.getString("display_name"),
        Columns.instant(rs, "created_at"),
        rs.getInt("key_version"));
  }

  /** The certifiers of these rows with their current (unrevoked) keys. */
  private List<Certifier> withKeys(List<CertifierRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, List<VerificationKey>> keys = new HashMap<>();
    handle
        .createQuery(
            """
            SELECT certifier_id, key_json FROM certifier_keys
            WHERE revoked_at IS NULL AND certifier_id IN (<ids>)
            ORDER BY certifier_id, position
            """)
        .bindList("ids", rows.stream().map(CertifierRow::id).toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("certifier_id"),
                    VerificationKey.fromTufJson(Columns.json(rs, "key_json"))))
        .forEach(e -> keys.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return rows.stream()
        .map(
            row ->
                new Certifier(
                    new CertifierId(row.id()),
                    row.displayName(),
                    keys.getOrDefault(row.id(), List.of()),
                    row.createdAt(),
                    row.keyVersion()))
        .toList();
  }

  @Override
  public List<CertifierKeyHistory> keyHistory(CertifierId id) {
    return handle
        .createQuery(
            """
            SELECT key_json, added_at, added_version, revoked_at, revoked_version
            FROM certifier_keys WHERE certifier_id = :id ORDER BY position
            """)
        .bind("id", id.value())
        .map(
            (rs, ctx) -> {
              int revokedVersion = rs.getInt("revoked_version");
              Optional<Integer> revoked =
                  rs.wasNull() ? Optional.empty() : Optional.of(revokedVersion);
              return new CertifierKeyHistory(
                  VerificationKey.fromTufJson(Columns.json(rs, "key_json")),
                  Columns.instant(rs, "added_at"),
                  rs.getInt("added_version"),
                  Columns.optionalInstant(rs, "revoked_at"),
                  revoked);
            })
        .list();
  }

  @Override
  public boolean setDisplayName(CertifierId id, String displayName) {
    return handle
            .createUpdate("UPDATE certifiers SET display_name = :displayName WHERE id = :id")
            .bind("displayName", displayName)
            .bind("id", id.value())
            .execute()
        == 1;
  }
}
