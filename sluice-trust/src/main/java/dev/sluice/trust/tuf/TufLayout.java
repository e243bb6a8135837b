package dev.sluice.trust.tuf;

import dev.sluice.trust.hash.Sha256;

/**
 * File names of a TUF repository with consistent snapshots (TUF 1.0 §7.2): {@code N.root.json},
 * {@code timestamp.json}, {@code N.snapshot.json}, {@code N.targets.json}, {@code N.<role>.json},
 * and targets as {@code dir/<sha256>.<name>}. Shared by the repository writer and the client so
 * that both always agree.
 */
public final class TufLayout {
  /** The one metadata file fetched without a version. */
  public static final String TIMESTAMP_JSON = "timestamp.json";

  private TufLayout() {}

  /** {@code N.<role>.json}, or {@code <role>.json} without consistent snapshots. */
  public static String metadataFile(String roleName, long version, boolean consistentSnapshot) {
    return consistentSnapshot ? version + "." + roleName + ".json" : roleName + ".json";
  }

  /** {@code N.root.json}: root is always fetched by version (TUF 1.0 §5.3.3). */
  public static String rootFile(long version) {
    return metadataFile("root", version, true);
  }

  /**
   * A target's file name below the targets base: {@code dir/<sha256>.<name>} with consistent
   * snapshots (TUF 1.0 §5.7.3), the path itself without.
   */
  public static String targetFile(String targetPath, Sha256 sha256, boolean consistentSnapshot) {
    if (!consistentSnapshot) {
      return targetPath;
    }
    int slash = targetPath.lastIndexOf('/');
    return targetPath.substring(0, slash + 1)
        + sha256.hex()
        + "."
        + targetPath.substring(slash + 1);
  }
}
