package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.policy.Endorsement;
import dev.sluice.core.policy.PendingPolicy;
import dev.sluice.core.policy.PolicyRecord;
import dev.sluice.core.policy.PolicyRepository;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.policy.StoredPolicy;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Hash;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Policy records in {@code product_policies} (exact log entry bytes, log index once sequenced) and
 * proposals in {@code pending_policies} with their signatures in {@code pending_policy_signatures}.
 */
final class JdbiPolicyRepository implements PolicyRepository {
  private static final String COLUMNS = "record, leaf_hash, log_index, created_at";

  private final Handle handle;

  JdbiPolicyRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(StoredPolicy policy) {
    PolicyStatement statement = policy.statement();
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO product_policies (product, sequence, record, leaf_hash, log_index,
                  change_kind, change_certifier, change_key_id, created_at)
                VALUES (:product, :sequence, :record, :leaf, :index, :kind, :certifier, :keyId,
                  :at)
                ON CONFLICT DO NOTHING
                """)
            .bind("product", statement.product().value())
            .bind("sequence", statement.sequence())
            .bind("record", policy.record().canonicalBytes())
            .bind("leaf", policy.leafHash().value())
            .bind("index", policy.logIndex().orElse(null))
            .bind("kind", statement.change().kind().wireName())
            .bind("certifier", statement.change().certifier().map(CertifierId::value).orElse(null))
            .bind("keyId", statement.change().keyId().orElse(null))
            .bind("at", Columns.millis(policy.createdAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "product '"
              + statement.product()
              + "' already has policy "
              + statement.sequence()
              + " (a concurrent change); try again");
    }
  }

  @Override
  public Optional<StoredPolicy> current(ProductName product) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM product_policies WHERE product = :product"
                + " ORDER BY sequence DESC LIMIT 1")
        .bind("product", product.value())
        .map((rs, ctx) -> stored(rs))
        .findOne();
  }

  @Override
  public List<StoredPolicy> history(ProductName product) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM product_policies WHERE product = :product ORDER BY sequence")
        .bind("product", product.value())
        .map((rs, ctx) -> stored(rs))
        .list();
  }

  @Override
  public void setLogIndex(Hash leafHash, long index) {
    handle
        .createUpdate(
            "UPDATE product_policies SET log_index = :index"
                + " WHERE leaf_hash = :leaf AND log_index IS NULL")
        .bind("index", index)
        .bind("leaf", leafHash.value())
        .execute();
  }

  @Override
  public List<StoredPolicy> keyChanges(String keyId) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM product_policies WHERE change_key_id = :keyId"
                + " ORDER BY created_at, product, sequence")
        .bind("keyId", keyId)
        .map((rs, ctx) -> stored(rs))
        .list();
  }

  @Override
  public Optional<PendingPolicy> pending(ProductName product) {
    List<Endorsement> signatures =
        handle
            .createQuery(
                """
                SELECT certifier_id, key_id, signature FROM pending_policy_signatures
                WHERE product = :product ORDER BY certifier_id
                """)
            .bind("product", product.value())
            .map(
                (rs, ctx) ->
                    new Endorsement(
                        new CertifierId(rs.getString("certifier_id")),
                        rs.getString("key_id"),
                        Endorsement.Signs.POLICY,
                        rs.getString("signature")))
            .list();
    return handle
        .createQuery(
            """
            SELECT statement, proposed_by, proposed_at FROM pending_policies
            WHERE product = :product
            """)
        .bind("product", product.value())
        .map(
            (rs, ctx) ->
                new PendingPolicy(
                    PolicyStatement.fromJson(CanonicalJson.parse(rs.getBytes("statement"))),
                    rs.getString("proposed_by"),
                    Columns.instant(rs, "proposed_at"),
                    signatures))
        .findOne();
  }

  @Override
  public void propose(PendingPolicy pending) {
    ProductName product = pending.statement().product();
    discardPending(product);
    handle
        .createUpdate(
            """
            INSERT INTO pending_policies (product, statement, proposed_by, proposed_at)
            VALUES (:product, :statement, :by, :at)
            """)
        .bind("product", product.value())
        .bind("statement", pending.statement().canonicalBytes())
        .bind("by", pending.proposedBy())
        .bind("at", Columns.millis(pending.proposedAt()))
        .execute();
    for (Endorsement e : pending.signatures()) {
      addSignature(product, e, pending.proposedAt());
    }
  }

  @Override
  public void addSignature(ProductName product, Endorsement signature, Instant at) {
    handle
        .createUpdate(
            """
            DELETE FROM pending_policy_signatures
            WHERE product = :product AND certifier_id = :certifier
            """)
        .bind("product", product.value())
        .bind("certifier", signature.certifier().value())
        .execute();
    handle
        .createUpdate(
            """
            INSERT INTO pending_policy_signatures
              (product, certifier_id, key_id, signature, signed_at)
            VALUES (:product, :certifier, :keyId, :signature, :at)
            """)
        .bind("product", product.value())
        .bind("certifier", signature.certifier().value())
        .bind("keyId", signature.keyId())
        .bind("signature", signature.signatureBase64())
        .bind("at", Columns.millis(at))
        .execute();
  }

  @Override
  public void discardPending(ProductName product) {
    handle
        .createUpdate("DELETE FROM pending_policy_signatures WHERE product = :product")
        .bind("product", product.value())
        .execute();
    handle
        .createUpdate("DELETE FROM pending_policies WHERE product = :product")
        .bind("product", product.value())
        .execute();
  }

  private static StoredPolicy stored(ResultSet rs) throws SQLException {
    long index = rs.getLong("log_index");
    Optional<Long> logIndex = rs.wasNull() ? Optional.empty() : Optional.of(index);
    return new StoredPolicy(
        PolicyRecord.parse(rs.getBytes("record")),
        new Hash(rs.getBytes("leaf_hash")),
        logIndex,
        Columns.instant(rs, "created_at"));
  }
}
