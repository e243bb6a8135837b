package dev.sluice.core.tuf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The TUF repository's current metadata: one entry per role, top-level roles first. */
public record TufStatus(List<RoleStatus> roles) {
  public TufStatus {
    roles = List.copyOf(roles);
  }

  /** A role's newest version, its expiry, and the key ids and threshold that sign it. */
  public record RoleStatus(
      String role, long version, Instant expires, List<String> keyIds, int threshold) {
    public RoleStatus {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(expires, "expires");
      keyIds = List.copyOf(keyIds);
    }
  }
}
