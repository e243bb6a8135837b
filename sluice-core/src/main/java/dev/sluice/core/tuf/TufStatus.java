package dev.sluice.core.tuf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** The TUF repository's current metadata: one entry per role, top-level roles first. */
public record TufStatus(List<RoleStatus> roles) {
  public TufStatus {
    roles = List.copyOf(roles);
  }

  /**
   * A role's newest version, its expiry, the key ids and threshold that sign it, whether those keys
   * are offline (the server cannot re-sign it before it expires), and the version waiting for an
   * offline signature, if any.
   */
  public record RoleStatus(
      String role,
      long version,
      Instant expires,
      List<String> keyIds,
      int threshold,
      boolean offline,
      OptionalLong pendingVersion) {
    public RoleStatus {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(expires, "expires");
      keyIds = List.copyOf(keyIds);
      Objects.requireNonNull(pendingVersion, "pendingVersion");
    }
  }
}
