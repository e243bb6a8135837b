package dev.sluice.server.http;

import dev.sluice.core.auth.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route, declared when the route is registered and enforced by the {@link Router}
 * before the endpoint runs: anyone ({@link #publicRead()}), any management token ({@link
 * #token()}), a management token of one of some roles ({@link #role}), or a device's DDI credential
 * ({@link #device()}). The domain services check the role again (the console calls them without the
 * router).
 */
public sealed interface Access {
  /** No credential: the transparency portal, TUF metadata, the log, health. */
  record Public() implements Access {}

  /** A management bearer token; {@code roles} empty means any management role. */
  record Token(Set<Role> roles) implements Access {
    public Token {
      roles = Set.copyOf(roles);
      if (roles.contains(Role.DEVICE_GATEWAY)) {
        throw new IllegalArgumentException("a gateway token is for the device API only");
      }
    }

    /** Whether a token of {@code role} may call the route. */
    public boolean allows(Role role) {
      return roles.isEmpty() || roles.contains(role);
    }
  }

  /** A device (or gateway, or anonymous where configured) on the hawkBit DDI API. */
  record Device() implements Access {}

  static Access publicRead() {
    return new Public();
  }

  /** Any management token, whatever its role. */
  static Access token() {
    return new Token(Set.of());
  }

  /** A management token of one of these roles. */
  static Access role(Role first, Role... more) {
    return new Token(EnumSet.of(first, more));
  }

  static Access device() {
    return new Device();
  }
}
