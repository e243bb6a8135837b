package dev.sluice.core.token;

import dev.sluice.core.Text;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API token. Only the SHA-256 of the secret is kept, so a database leak does not leak
 * usable tokens. The public {@link TokenId} names it in lists, revocations and the audit trail.
 */
public record ApiToken(
    TokenId id,
    Sha256 tokenSha256,
    Role role,
    Optional<CertifierId> certifier,
    Optional<ProductName> product,
    String label,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt) {
  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tokenSha256, "tokenSha256");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(product, "product");
    label = Text.check("a token label", label, TokenLabels.MAX_LENGTH, true, false);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if ((role == Role.CERTIFIER) != certifier.isPresent()) {
      throw new IllegalArgumentException(
          "a certifier token is bound to exactly one certifier; other roles to none");
    }
    if ((role == Role.DEVICE_GATEWAY) != product.isPresent()) {
      throw new IllegalArgumentException(
          "a device-gateway token is bound to exactly one product; other roles to none");
    }
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(createdAt)) {
      throw new IllegalArgumentException("a token expires after it was created");
    }
  }

  /** True unless the token is revoked or expired at {@code now}. */
  public boolean validAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }

  /**
   * The audit actor: {@code token:ID(label)}. The id is unique, so a label cannot pass for another
   * token or for the server.
   */
  public String actorName() {
    return "token:" + id.value() + "(" + label + ")";
  }

  public Principal principal() {
    return new Principal(actorName(), role, certifier);
  }
}
