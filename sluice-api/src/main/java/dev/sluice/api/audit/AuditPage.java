package dev.sluice.api.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One page of the audit trail, oldest first.
 *
 * @param nextAfter the cursor for the following page ({@code ?after=})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditPage(List<AuditEventView> events, long nextAfter) {
  public AuditPage {
    events = events == null ? List.of() : List.copyOf(events);
  }
}
