package dev.sluice.trust.tuf.model;

import java.util.Optional;

/**
 * The four top-level TUF roles (TUF 1.0 §2.1). Their names are both the {@code _type} of their
 * metadata and the keys of root's {@code roles}; delegated roles may never take one of them.
 */
public enum RoleType {
  ROOT("root"),
  TARGETS("targets"),
  SNAPSHOT("snapshot"),
  TIMESTAMP("timestamp");

  private final String typeName;

  RoleType(String typeName) {
    this.typeName = typeName;
  }

  /** The role name and {@code _type}, for example {@code "root"}. */
  public String typeName() {
    return typeName;
  }

  /** The top-level role with this name, if it is one. */
  public static Optional<RoleType> fromName(String name) {
    for (RoleType type : values()) {
      if (type.typeName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return typeName;
  }
}
