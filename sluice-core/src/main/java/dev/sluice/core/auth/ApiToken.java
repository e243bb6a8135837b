package dev.sluice.core.auth;

import dev.sluice.core.Text;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API token. Only the SHA-256 of the secret is kept, so a database leak does not leak
 * usable tokens.
 */
public record ApiToken(
    Sha256 tokenSha256,
    Role role,
    Optional<CertifierId> certifier,
    Optional<ProductName> product,
    String label,
    Instant createdAt,
    Optional<Instant> revokedAt) {
  public ApiToken {
    Objects.requireNonNull(tokenSha256, "tokenSha256");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(product, "product");
    label = Text.check("a token label", label, 200, true, false);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if ((role == Role.CERTIFIER) != certifier.isPresent()) {
      throw new IllegalArgumentException(
          "a certifier token is bound to exactly one certifier; other roles to none");
    }
    if ((role == Role.DEVICE_GATEWAY) != product.isPresent()) {
      throw new IllegalArgumentException(
          "a device-gateway token is bound to exactly one product; other roles to none");
    }
  }

  /** A token of any role but {@link Role#DEVICE_GATEWAY} (no product). */
  public ApiToken(
      Sha256 tokenSha256,
      Role role,
      Optional<CertifierId> certifier,
      String label,
      Instant createdAt,
      Optional<Instant> revokedAt) {
    this(tokenSha256, role, certifier, Optional.empty(), label, createdAt, revokedAt);
  }

  public Principal principal() {
    return new Principal(label, role, certifier);
  }
}
