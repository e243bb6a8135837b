package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TargetFile;
import java.util.Objects;

/**
 * A target as trusted metadata describes it: its path, its length, SHA-256 and custom data, and the
 * targets role (top-level or delegated) that vouched for it. Pass it to {@link TufUpdater#download}
 * to get bytes verified against it.
 */
public record TargetInfo(String path, TargetFile file, String role) {
  public TargetInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(role, "role");
  }
}
