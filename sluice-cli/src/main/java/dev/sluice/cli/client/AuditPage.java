package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.audit.AuditEventView;
import java.util.List;
import java.util.Optional;

/** One page of the audit trail, oldest first, with the cursor for the next page. */
public record AuditPage(JsonNode json, dev.sluice.api.audit.AuditPage view) {
  public AuditPage(JsonNode json) {
    this(json, Answers.bind(json, dev.sluice.api.audit.AuditPage.class, "an audit page"));
  }

  public List<AuditEventView> events() {
    return view.events();
  }

  /** The cursor ({@code after}) that fetches the following page, if the server gave one. */
  public Optional<String> next() {
    return view.nextIfAny();
  }
}
