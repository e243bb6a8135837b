package dev.sluice.core.release;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Public status notes on releases ({@link StatusNote}): set by release managers and admins, read by
 * anyone through the transparency portal. Every change is recorded in the audit trail.
 */
public final class StatusNotes {
  private final UnitOfWork<? extends ReleasePorts> transactions;
  private final Clock clock;

  public StatusNotes(UnitOfWork<? extends ReleasePorts> transactions, Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Sets (or replaces) the note of a release; the previous text goes into the audit trail. */
  public StatusNote set(
      Principal actor, ReleaseId id, String text, Optional<LocalDate> targetDate) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    return transactions.write(
        repos -> {
          repos
              .releases()
              .findForUpdate(id)
              .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
          StatusNote note = new StatusNote(text, targetDate, actor.name(), clock.instant());
          Optional<StatusNote> previous = repos.releases().statusNote(id);
          repos.releases().saveStatusNote(id, note);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("text", note.text());
          detail.put("target_date", note.targetDate().map(LocalDate::toString).orElse(null));
          previous.ifPresent(
              p -> {
                detail.put("previous_text", p.text());
                detail.put(
                    "previous_target_date", p.targetDate().map(LocalDate::toString).orElse(null));
              });
          ReleaseService.audit(repos, actor, note.updatedAt(), "release.status-noted", id, detail);
          return note;
        });
  }

  public Optional<StatusNote> note(ReleaseId id) {
    return transactions.read(repos -> repos.releases().statusNote(id));
  }

  /** The notes of these releases (those that have one), for a listing's page of releases. */
  public Map<ReleaseId, StatusNote> of(java.util.Collection<ReleaseId> ids) {
    return transactions.read(repos -> repos.releases().statusNotes(ids));
  }
}
