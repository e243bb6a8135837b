package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalLong;

/** One page of the audit trail, oldest first, with the cursor for the next page. */
public record AuditPage(JsonNode json) {
  public AuditPage {
    Fields.object(json, "an audit page");
  }

  /** One audit event. */
  public record Event(
      long seq, String at, String actor, String action, String subject, JsonNode detail) {}

  public List<Event> events() {
    return Fields.objects(json, "events").stream()
        .map(
            e ->
                new Event(
                    Fields.number(e, "seq"),
                    Fields.optionalText(e, "at").orElse(""),
                    Fields.optionalText(e, "actor").orElse(""),
                    Fields.text(e, "action"),
                    Fields.optionalText(e, "subject").orElse(""),
                    e.path("detail")))
        .toList();
  }

  /** The {@code after} value that fetches the following page, if the server gave one. */
  public OptionalLong nextAfter() {
    JsonNode next = json.get("next_after");
    return next != null && next.canConvertToLong()
        ? OptionalLong.of(next.asLong())
        : OptionalLong.empty();
  }
}
