package dev.sluice.core.token;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.Validation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues, lists, revokes and checks API tokens. A token is {@code sluice_} plus 32 random bytes
 * (base64url); only its SHA-256 is stored, and the secret is shown exactly once, when it is issued.
 * Every check reads the token's row, so a revocation or expiry holds at once on every server
 * sharing the database.
 */
public final class TokenService {
  private static final Pattern TOKEN = Pattern.compile("sluice_[A-Za-z0-9_-]{43}");

  /** The longest lifetime a token may be given at creation. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(3660);

  /** The label of the admin token the server makes on its first start. */
  static final String BOOTSTRAP_LABEL = "admin";

  private final SecureRandom random = new SecureRandom();
  private final UnitOfWork<? extends TokenPorts> transactions;
  private final Clock clock;

  public TokenService(UnitOfWork<? extends TokenPorts> transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A newly issued token: the secret (shown once) and what it grants. */
  public record IssuedToken(String secret, ApiToken token) {
    @Override
    public String toString() {
      return "IssuedToken[" + token.label() + ", " + token.role().wireName() + "]";
    }
  }

  /** Issues a token (admins only); a certifier token names the certifier it speaks for. */
  public IssuedToken issue(
      Principal actor, Role role, Optional<CertifierId> certifier, String label) {
    return issue(actor, role, certifier, Optional.empty(), label);
  }

  /**
   * Issues a token (admins only); a certifier token names the certifier it speaks for, a
   * device-gateway token the product whose devices it serves.
   */
  public IssuedToken issue(
      Principal actor,
      Role role,
      Optional<CertifierId> certifier,
      Optional<ProductName> product,
      String label) {
    return issue(actor, role, certifier, product, label, Optional.empty());
  }

  /**
   * Issues a token that stops working at {@code expiresAt} (after now, at most {@link
   * #MAX_LIFETIME} ahead), or never when empty. The label names the holder; reserved labels are
   * refused ({@link TokenLabels}).
   */
  public IssuedToken issue(
      Principal actor,
      Role role,
      Optional<CertifierId> certifier,
      Optional<ProductName> product,
      String label,
      Optional<Instant> expiresAt) {
    actor.require(Role.ADMIN);
    String checked = Validation.valid(() -> TokenLabels.checkNew(label));
    Instant now = clock.instant();
    if (expiresAt.isPresent()
        && (!expiresAt.get().isAfter(now) || expiresAt.get().isAfter(now.plus(MAX_LIFETIME)))) {
      throw new SluiceException.InvalidInput(
          "expires_at must be in the future and at most " + MAX_LIFETIME.toDays() + " days ahead",
          List.of(new SluiceException.Violation("expires_at", "out of range")),
          null);
    }
    return transactions.write(
        repos -> {
          if (certifier.isPresent() && repos.certifiers().find(certifier.get()).isEmpty()) {
            throw new SluiceException.NotFound("certifier", certifier.get().value());
          }
          if (product.isPresent() && repos.products().find(product.get()).isEmpty()) {
            throw new SluiceException.NotFound("product", product.get().value());
          }
          return insert(repos, actor, role, certifier, product, checked, expiresAt);
        });
  }

  /**
   * A page of the tokens (admins and auditors), without secrets, in id (creation) order from {@code
   * after} on, with the cursor of the next.
   */
  public Page<ApiToken> page(Principal actor, Optional<TokenId> after, int limit) {
    actor.require(Role.ADMIN, Role.AUDITOR);
    ListLimit.check(limit);
    List<ApiToken> fetched = transactions.read(repos -> repos.tokens().list(after, limit + 1));
    return Page.of(fetched, limit, t -> new KeyCursor(t.id().value()));
  }

  /** The token with this id (admins and auditors), without its secret. */
  public ApiToken token(Principal actor, TokenId id) {
    actor.require(Role.ADMIN, Role.AUDITOR);
    return transactions
        .read(repos -> repos.tokens().findById(id))
        .orElseThrow(() -> new SluiceException.NotFound("token", id.value()));
  }

  /**
   * Revokes a token (admins only): it fails at once on every server. Revoking a revoked token is a
   * conflict; so is revoking the last working admin token (no one would be left to issue one).
   */
  public ApiToken revoke(Principal actor, TokenId id) {
    actor.require(Role.ADMIN);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          ApiToken token =
              repos
                  .tokens()
                  .findById(id)
                  .orElseThrow(() -> new SluiceException.NotFound("token", id.value()));
          if (token.revokedAt().isPresent()) {
            throw new SluiceException.Conflict(
                SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                "token " + id + " was revoked already");
          }
          if (token.role() == Role.ADMIN && token.validAt(now)) {
            long otherAdmins =
                repos.tokens().list().stream()
                    .filter(t -> t.role() == Role.ADMIN && t.validAt(now) && !t.id().equals(id))
                    .count();
            if (otherAdmins == 0) {
              throw new SluiceException.Conflict(
                  SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                  "token "
                      + id
                      + " is the last working admin token; issue another admin token first");
            }
          }
          repos.tokens().revoke(id, now);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("role", token.role().wireName());
          detail.put("label", token.label());
          repos
              .audit()
              .append(AuditEvent.draft(now, actor.name(), "token.revoked", "token/" + id, detail));
          return repos.tokens().findById(id).orElseThrow();
        });
  }

  /**
   * The device-gateway token with this secret, if it is one and not revoked (DDI {@code
   * GatewayToken}); anything else is empty.
   */
  public Optional<ApiToken> gateway(String secret) {
    if (secret == null || !TOKEN.matcher(secret).matches()) {
      return Optional.empty();
    }
    Sha256 digest = Sha256.of(secret.getBytes(StandardCharsets.US_ASCII));
    return transactions
        .read(repos -> repos.tokens().find(digest))
        .filter(t -> t.role() == Role.DEVICE_GATEWAY && t.validAt(clock.instant()));
  }

  /**
   * Creates the first admin token if the server has no tokens at all, and returns its secret; an
   * empty result means the server was set up before.
   */
  public Optional<IssuedToken> bootstrapAdmin() {
    return transactions.write(
        repos -> {
          if (repos.tokens().count() > 0) {
            return Optional.empty();
          }
          return Optional.of(
              insert(
                  repos,
                  Principal.system(),
                  Role.ADMIN,
                  Optional.empty(),
                  Optional.empty(),
                  BOOTSTRAP_LABEL,
                  Optional.empty()));
        });
  }

  /** The principal a bearer token stands for; throws Unauthenticated for anything else. */
  public Principal authenticate(String secret) {
    if (secret == null || !TOKEN.matcher(secret).matches()) {
      throw new SluiceException.Unauthenticated("the bearer token is malformed");
    }
    Sha256 digest = Sha256.of(secret.getBytes(StandardCharsets.US_ASCII));
    ApiToken token =
        transactions
            .read(repos -> repos.tokens().find(digest))
            .orElseThrow(() -> new SluiceException.Unauthenticated("the token is not valid"));
    if (token.revokedAt().isPresent()) {
      throw new SluiceException.Unauthenticated("the token has been revoked");
    }
    if (!token.validAt(clock.instant())) {
      throw new SluiceException.Unauthenticated("the token has expired");
    }
    if (token.role() == Role.DEVICE_GATEWAY) {
      throw new SluiceException.Forbidden(
          "a device-gateway token is for the device API only, not the management API");
    }
    return token.principal();
  }

  private IssuedToken insert(
      TokenPorts repos,
      Principal actor,
      Role role,
      Optional<CertifierId> certifier,
      Optional<ProductName> product,
      String label,
      Optional<Instant> expiresAt) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = "sluice_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    ApiToken token =
        Validation.valid(
            () ->
                new ApiToken(
                    TokenId.generate(now, random),
                    Sha256.of(secret.getBytes(StandardCharsets.US_ASCII)),
                    role,
                    certifier,
                    product,
                    label,
                    now,
                    expiresAt,
                    Optional.empty()));
    repos.tokens().insert(token);
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("role", role.wireName());
    detail.put("label", token.label());
    certifier.ifPresent(c -> detail.put("certifier", c.value()));
    product.ifPresent(p -> detail.put("product", p.value()));
    expiresAt.ifPresent(e -> detail.put("expires_at", e.toString()));
    repos
        .audit()
        .append(AuditEvent.draft(now, actor.name(), "token.issued", "token/" + token.id(), detail));
    return new IssuedToken(secret, token);
  }
}
