package dev.sluice.core.audit;

import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit events to list: optionally one subject's, those the filter selects, in sequence order
 * ({@link SortOrder#ASCENDING}, oldest first) or newest first, after a sequence number (past it in
 * the chosen order; 0 starts at the beginning either way), at most limit.
 */
public record AuditQuery(
    Optional<String> subject, ListFilter filter, SortOrder order, long afterSeq, int limit) {
  public static final int MAX_LIMIT = dev.sluice.core.ListLimit.MAX;

  public AuditQuery {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(order, "order");
    if (afterSeq < 0) {
      throw new IllegalArgumentException("after must not be negative");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** Every event (of one subject, if given), oldest first. */
  public AuditQuery(Optional<String> subject, long afterSeq, int limit) {
    this(subject, new ListFilter.All(), SortOrder.ASCENDING, afterSeq, limit);
  }
}
