package dev.sluice.trust.chain;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;

/**
 * A reference from one log record to a policy record: its log index and the SHA-256 of its
 * canonical bytes ({@code record_sha256}).
 */
public record PolicyRef(long logIndex, Sha256 recordSha256) {
  public PolicyRef {
    if (logIndex < 0) {
      throw new IllegalArgumentException("log_index must not be negative");
    }
    Objects.requireNonNull(recordSha256, "recordSha256");
  }
}
