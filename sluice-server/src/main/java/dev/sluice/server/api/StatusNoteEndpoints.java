package dev.sluice.server.api;

import dev.sluice.api.WireJson;
import dev.sluice.api.release.StatusNoteRequest;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.StatusNote;
import dev.sluice.core.release.StatusNotes;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@code PUT /api/v1/releases/{id}/status-note}: the release manager's public note and date. */
public final class StatusNoteEndpoints {
  private static final int BODY_LIMIT = 16 * 1024;

  private final StatusNotes notes;

  public StatusNoteEndpoints(StatusNotes notes) {
    this.notes = notes;
  }

  public void register(Router router) {
    router.put(
        "/api/v1/releases/{id}/status-note",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER),
        this::put);
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("target_date must be a date YYYY-MM-DD");
    }
  }

  private void put(Call call) throws Exception {
    Principal actor = call.principal();
    ReleaseId id;
    try {
      id = new ReleaseId(call.path("id"));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("release", call.path("id"));
    }
    Violations violations = new Violations();
    StatusNoteRequest body = call.body(StatusNoteRequest.class, BODY_LIMIT, violations);
    String text = body.text();
    Optional<LocalDate> target =
        violations.check(
            "target_date",
            () -> Optional.ofNullable(body.targetDate()).map(StatusNoteEndpoints::date));
    // The note's own rules for the text, checked beside a date that may have been refused.
    violations.check(
        "text",
        () ->
            new StatusNote(
                text,
                target == null ? Optional.empty() : target,
                actor.name(),
                java.time.Instant.EPOCH));
    violations.throwIfAny();
    StatusNote note = notes.set(actor, id, text, target);
    var node = WireJson.MAPPER.createObjectNode();
    node.put("release", id.value());
    node.put("text", note.text());
    node.put("target_date", note.targetDate().map(LocalDate::toString).orElse(null));
    node.put("updated_by", note.updatedBy());
    node.put("updated_at", note.updatedAt().toString());
    call.json(200, node);
  }
}
