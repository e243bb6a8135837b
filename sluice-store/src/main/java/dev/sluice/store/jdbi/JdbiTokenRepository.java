package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.token.ApiToken;
import dev.sluice.core.token.TokenId;
import dev.sluice.core.token.TokenRepository;
import dev.sluice.trust.hash.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** API tokens by the SHA-256 of their secret; the role is stored by its wire name. */
final class JdbiTokenRepository implements TokenRepository {
  private static final String COLUMNS =
      "id, token_sha256, role, certifier_id, product, label, created_at, expires_at, revoked_at";

  private final Handle handle;

  JdbiTokenRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(ApiToken token) {
    int inserted =
        handle
            .createUpdate(
                "INSERT INTO api_tokens ("
                    + COLUMNS
                    + """
                    ) VALUES (:id, :sha256, :role, :certifier, :product, :label, :createdAt,
                      :expiresAt, :revokedAt)
                    ON CONFLICT DO NOTHING
                    """)
            .bind("id", token.id().value())
            .bind("sha256", token.tokenSha256().hex())
            .bind("role", token.role().wireName())
            .bind("certifier", token.certifier().map(CertifierId::value).orElse(null))
            .bind("product", token.product().map(ProductName::value).orElse(null))
            .bind("label", token.label())
            .bind("createdAt", Columns.millis(token.createdAt()))
            .bind("expiresAt", token.expiresAt().map(Columns::millis).orElse(null))
            .bind("revokedAt", token.revokedAt().map(Columns::millis).orElse(null))
            .execute();
    if (inserted == 0) {
      throw new Conflict(ConflictKind.ALREADY_EXISTS, "this API token is already registered");
    }
  }

  @Override
  public Optional<ApiToken> find(Sha256 tokenSha256) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE token_sha256 = :sha256")
        .bind("sha256", tokenSha256.hex())
        .map((rs, ctx) -> token(rs))
        .findOne();
  }

  @Override
  public Optional<ApiToken> findById(TokenId id) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id = :id")
        .bind("id", id.value())
        .map((rs, ctx) -> token(rs))
        .findOne();
  }

  @Override
  public List<ApiToken> list() {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, id")
        .map((rs, ctx) -> token(rs))
        .list();
  }

  @Override
  public List<ApiToken> list(Optional<TokenId> after, int limit) {
    var query =
        handle
            .createQuery("SELECT " + COLUMNS + " FROM api_tokens <where> ORDER BY id LIMIT :limit")
            .define("where", after.isPresent() ? "WHERE id > :after" : "")
            .bind("limit", limit);
    after.ifPresent(a -> query.bind("after", a.value()));
    return query.map((rs, ctx) -> token(rs)).list();
  }

  @Override
  public boolean revoke(TokenId id, Instant at) {
    return handle
            .createUpdate(
                "UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
            .bind("id", id.value())
            .bind("at", Columns.millis(at))
            .execute()
        == 1;
  }

  @Override
  public List<Sha256> invalidatedBetween(Instant since, Instant now) {
    return handle
        .createQuery(
            """
            SELECT token_sha256 FROM api_tokens
            WHERE revoked_at >= :since OR (expires_at >= :since AND expires_at <= :now)
            """)
        .bind("since", Columns.millis(since))
        .bind("now", Columns.millis(now))
        .map((rs, ctx) -> new Sha256(rs.getString("token_sha256")))
        .list();
  }

  @Override
  public long count() {
    return handle.createQuery("SELECT count(*) FROM api_tokens").mapTo(Long.class).one();
  }

  private static ApiToken token(ResultSet rs) throws SQLException {
    return new ApiToken(
        new TokenId(rs.getString("id")),
        new Sha256(rs.getString("token_sha256")),
        Role.fromWire(rs.getString("role")),
        Columns.optionalString(rs, "certifier_id").map(CertifierId::new),
        Columns.optionalString(rs, "product").map(ProductName::new),
        rs.getString("label"),
        Columns.instant(rs, "created_at"),
        Columns.optionalInstant(rs, "expires_at"),
        Columns.optionalInstant(rs, "revoked_at"));
  }
}
