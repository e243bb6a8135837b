package dev.sluice.server.api;

import dev.sluice.api.audit.AuditPage;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.PagedList;
import dev.sluice.core.Validation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditFilters;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.audit.AuditService;
import dev.sluice.core.auth.Role;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.util.List;

/**
 * The audit trail, read-only: oldest first by default ({@code sort=at}), newest first with {@code
 * sort=-at}; either way {@code after} is the opaque cursor of the previous page's {@code next} (the
 * sequence number that page ended at).
 */
public final class AuditEndpoints {
  private final AuditService audit;

  public AuditEndpoints(AuditService audit) {
    this.audit = audit;
  }

  public void register(Router router) {
    router
        .get("/api/v1/audit", Access.role(Role.ADMIN, Role.AUDITOR), this::list)
        .query("after", "limit", "subject", "filter", "sort");
  }

  private void list(Call call) throws Exception {
    var actor = call.principal();
    long after =
        call.query("after").map(a -> KeyCursor.decode(PagedList.AUDIT, a).sequence()).orElse(0L);
    int limit = call.queryInt("limit", ListLimit.DEFAULT);
    ListFilter filter = AuditFilters.parse(call.query("filter").orElse(""));
    SortOrder order =
        SortOrder.parse(call.query("sort"), AuditFilters.SORT_FIELD, SortOrder.ASCENDING);
    AuditQuery query =
        Validation.valid(() -> new AuditQuery(call.query("subject"), filter, order, after, limit));
    List<AuditEvent> events = audit.list(actor, query);
    // A full page names a next cursor only if an event follows it (one indexed look past it).
    boolean more =
        events.size() == limit
            && !audit
                .list(
                    actor,
                    new AuditQuery(query.subject(), filter, order, events.getLast().seq(), 1))
                .isEmpty();
    call.json(
        200,
        new AuditPage(
            events.stream().map(Views::auditEvent).toList(),
            events.isEmpty() ? after : events.getLast().seq(),
            more ? KeyCursor.ofSequence(events.getLast().seq()).encode(PagedList.AUDIT) : null));
  }
}
