package dev.sluice.store.jdbi;

import dev.sluice.core.tuf.OfflineRoleStorage;
import dev.sluice.core.tuf.PendingMetadata;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Offline role keys in {@code tuf_offline_keys}, pending metadata in {@code tuf_pending}. */
final class JdbiOfflineRoleStorage implements OfflineRoleStorage {
  private final Handle handle;

  JdbiOfflineRoleStorage(Handle handle) {
    this.handle = handle;
  }

  @Override
  public Optional<VerificationKey> key(String role) {
    return handle
        .createQuery("SELECT key_json FROM tuf_offline_keys WHERE role = :role")
        .bind("role", role)
        .map((rs, ctx) -> parseKey(rs.getString("key_json")))
        .findOne();
  }

  @Override
  public Map<String, VerificationKey> keys() {
    Map<String, VerificationKey> out = new TreeMap<>();
    handle
        .createQuery("SELECT role, key_json FROM tuf_offline_keys")
        .map((rs, ctx) -> Map.entry(rs.getString("role"), parseKey(rs.getString("key_json"))))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public void putKey(String role, VerificationKey key, Instant at) {
    handle
        .createUpdate(
            """
            INSERT INTO tuf_offline_keys (role, key_id, key_json, created_at)
            VALUES (:role, :keyId, :json, :at)
            ON CONFLICT (role) DO UPDATE
              SET key_id = excluded.key_id, key_json = excluded.key_json,
                  created_at = excluded.created_at
            """)
        .bind("role", role)
        .bind("keyId", key.keyId())
        .bind("json", new String(CanonicalJson.encode(key.toTufJson()), StandardCharsets.UTF_8))
        .bind("at", Columns.millis(at))
        .execute();
  }

  @Override
  public void removeKey(String role) {
    handle
        .createUpdate("DELETE FROM tuf_offline_keys WHERE role = :role")
        .bind("role", role)
        .execute();
  }

  @Override
  public Optional<PendingMetadata> pending(String role) {
    return handle
        .createQuery("SELECT role, version, signed, created_at FROM tuf_pending WHERE role = :role")
        .bind("role", role)
        .map(JdbiOfflineRoleStorage::pending)
        .findOne();
  }

  @Override
  public List<PendingMetadata> allPending() {
    return handle
        .createQuery("SELECT role, version, signed, created_at FROM tuf_pending ORDER BY role")
        .map(JdbiOfflineRoleStorage::pending)
        .list();
  }

  @Override
  public void putPending(PendingMetadata p) {
    handle
        .createUpdate(
            """
            INSERT INTO tuf_pending (role, version, signed, created_at)
            VALUES (:role, :version, :signed, :at)
            ON CONFLICT (role) DO UPDATE
              SET version = excluded.version, signed = excluded.signed,
                  created_at = excluded.created_at
            """)
        .bind("role", p.role())
        .bind("version", p.version())
        .bind("signed", p.signed())
        .bind("at", Columns.millis(p.createdAt()))
        .execute();
  }

  @Override
  public void removePending(String role) {
    handle.createUpdate("DELETE FROM tuf_pending WHERE role = :role").bind("role", role).execute();
  }

  private static VerificationKey parseKey(String json) {
    return VerificationKey.fromTufJson(CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static PendingMetadata pending(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PendingMetadata(
        rs.getString("role"),
        rs.getLong("version"),
        rs.getBytes("signed"),
        Columns.instant(rs, "created_at"));
  }
}
