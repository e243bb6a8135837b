package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TargetFile;
import java.util.Objects;

/**
 * A target as trusted metadata describes it: its path, its length, SHA-256 and custom data, the
 * targets role (top-level or delegated) that vouched for it, and the role top-level targets
 * delegated the search to on the way ({@code topRole}: the same as {@code role} unless that role
 * delegated further, e.g. to a hashed bin; {@code "targets"} for a target top-level targets lists
 * itself). Pass it to {@link TufUpdater#download} to get bytes verified against it.
 */
public record TargetInfo(String path, TargetFile file, String role, String topRole) {
  public TargetInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(topRole, "topRole");
  }
}
