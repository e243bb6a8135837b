package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.port.CertifierRepository;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Certifiers in {@code certifiers} and their public keys, in registration order, in {@code
 * certifier_keys} (TUF key JSON). A key id is registered at most once, to anyone.
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
                INSERT INTO certifiers (id, display_name, created_at)
                VALUES (:id, :displayName, :createdAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("id", certifier.id().value())
            .bind("displayName", certifier.displayName())
            .bind("createdAt", Columns.millis(certifier.createdAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS, "certifier '" + certifier.id() + "' already exists");
    }
    for (int i = 0; i < certifier.keys().size(); i++) {
      insertKey(certifier.id(), certifier.keys().get(i), i, certifier.createdAt());
    }
  }

  @Override
  public void addKey(CertifierId certifier, VerificationKey key, Instant at) {
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
        at);
  }

  private void insertKey(CertifierId certifier, VerificationKey key, int position, Instant at) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO certifier_keys (key_id, certifier_id, key_json, position, added_at)
                VALUES (:keyId, :certifier, :keyJson, :position, :addedAt)
                ON CONFLICT DO NOTHING
                """)
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
                WHERE certifier_id = :id ORDER BY position
                """)
            .bind("id", id.value())
            .map((rs, ctx) -> VerificationKey.fromTufJson(Columns.json(rs, "key_json")))
            .list();
    return handle
        .createQuery("SELECT id, display_name, created_at FROM certifiers WHERE id = :id")
        .bind("id", id.value())
        .map(
            (rs, ctx) ->
                new Certifier(
                    id, rs.getString("display_name"), keys, Columns.instant(rs, "created_at")))
        .findOne();
  }

  @Override
  public List<Certifier> list() {
    Map<String, List<VerificationKey>> keys = new HashMap<>();
    handle
        .createQuery(
            "SELECT certifier_id, key_json FROM certifier_keys ORDER BY certifier_id, position")
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("certifier_id"),
                    VerificationKey.fromTufJson(Columns.json(rs, "key_json"))))
        .forEach(e -> keys.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return handle
        .createQuery("SELECT id, display_name, created_at FROM certifiers ORDER BY id")
        .map(
            (rs, ctx) ->
                new Certifier(
                    new CertifierId(rs.getString("id")),
                    rs.getString("display_name"),
                    keys.getOrDefault(rs.getString("id"), List.of()),
                    Columns.instant(rs, "created_at")))
        .list();
  }
}
