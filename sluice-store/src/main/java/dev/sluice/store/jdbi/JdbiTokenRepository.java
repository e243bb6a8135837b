package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.auth.ApiToken;
import dev.sluice.core.auth.Role;
import dev.sluice.core.port.TokenRepository;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** API tokens by the SHA-256 of their secret; the role is stored by its wire name. */
final class JdbiTokenRepository implements TokenRepository {
  private final Handle handle;

  JdbiTokenRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(ApiToken token) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO api_tokens
                  (token_sha256, role, certifier_id, product, label, created_at, revoked_at)
                VALUES (:sha256, :role, :certifier, :product, :label, :createdAt, :revokedAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("sha256", token.tokenSha256().hex())
            .bind("role", token.role().wireName())
            .bind("certifier", token.certifier().map(CertifierId::value).orElse(null))
            .bind("product", token.product().map(ProductName::value).orElse(null))
            .bind("label", token.label())
            .bind("createdAt", Columns.millis(token.createdAt()))
            .bind("revokedAt", token.revokedAt().map(Columns::millis).orElse(null))
            .execute();
    if (inserted == 0) {
      throw new Conflict(ConflictKind.ALREADY_EXISTS, "this API token is already registered");
    }
  }

  @Override
  public Optional<ApiToken> find(Sha256 tokenSha256) {
    return handle
        .createQuery(
            """
            SELECT token_sha256, role, certifier_id, product, label, created_at, revoked_at
            FROM api_tokens WHERE token_sha256 = :sha256
            """)
        .bind("sha256", tokenSha256.hex())
        .map((rs, ctx) -> token(rs))
        .findOne();
  }

  @Override
  public long count() {
    return handle.createQuery("SELECT count(*) FROM api_tokens").mapTo(Long.class).one();
  }

  private static ApiToken token(ResultSet rs) throws SQLException {
    return new ApiToken(
        new Sha256(rs.getString("token_sha256")),
        Role.fromWire(rs.getString("role")),
        Columns.optionalString(rs, "certifier_id").map(CertifierId::new),
        Columns.optionalString(rs, "product").map(ProductName::new),
        rs.getString("label"),
        Columns.instant(rs, "created_at"),
        Columns.optionalInstant(rs, "revoked_at"));
  }
}
