package dev.sluice.core.auth;

import dev.sluice.core.SluiceException;
import dev.sluice.core.product.CertifierId;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated caller: a name for the audit trail, a role, and for certifiers the one certifier
 * identity the token speaks for.
 */
public record Principal(String name, Role role, Optional<CertifierId> certifier) {
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(certifier, "certifier");
    if ((role == Role.CERTIFIER) != certifier.isPresent()) {
      throw new IllegalArgumentException(
          "a certifier principal is bound to exactly one certifier; other roles to none");
    }
  }

  /** The principal of the server itself, for work it does on its own behalf. */
  public static Principal system() {
    return new Principal("system", Role.ADMIN, Optional.empty());
  }

  /** Throws {@link SluiceException.Forbidden} unless this principal has one of the roles. */
  public void require(Role... allowed) {
    if (Arrays.asList(allowed).contains(role)) {
      return;
    }
    throw new SluiceException.Forbidden(
        "the " + role.wireName() + " role may not do this (allowed: " + names(allowed) + ")");
  }

  private static String names(Role... roles) {
    return String.join(", ", Arrays.stream(roles).map(Role::wireName).toList());
  }
}
