package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.MerkleHash;
import java.util.Objects;

/**
 * The integrated tree as committed to storage: its size and RFC 9162 root. It may run ahead of the
 * latest signed checkpoint for the moment between an integration's commit and its signature.
 */
public record LogState(long size, Hash root) {
  public LogState {
    if (size < 0) {
      throw new IllegalArgumentException("a log size is not negative: " + size);
    }
    Objects.requireNonNull(root, "root");
  }

  /** The empty log: size 0, root SHA-256(""). */
  public static LogState empty() {
    return new LogState(0, MerkleHash.emptyRoot());
  }
}
