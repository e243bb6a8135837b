package dev.sluice.core.audit;

import java.util.Optional;

/** Which audit events to list: optionally one subject's, after a sequence number, at most limit. */
public record AuditQuery(Optional<String> subject, long afterSeq, int limit) {
  public static final int MAX_LIMIT = dev.sluice.core.ListLimit.MAX;

  public AuditQuery {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("after must not be negative");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
