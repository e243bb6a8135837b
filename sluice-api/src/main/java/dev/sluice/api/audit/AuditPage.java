package dev.sluice.api.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of the audit trail, oldest first (or newest first when asked with {@code sort=-at}).
 *
 * @param nextAfter the sequence number of the page's last event, for information: pages go on with
 *     {@code next}
 * @param next the cursor of the following page ({@code ?after=}, opaque like every list's); absent
 *     on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditPage(
    List<AuditEventView> events,
    long nextAfter,
    @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public AuditPage {
    events = events == null ? List.of() : List.copyOf(events);
  }

  public AuditPage(List<AuditEventView> events, long nextAfter) {
    this(events, nextAfter, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
