package dev.sluice.server.api;

import dev.sluice.api.audit.AuditPage;
import dev.sluice.core.Validation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.audit.AuditService;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.util.List;

/** The audit trail, read-only. */
final class AuditEndpoints {
  private final AuditService audit;
  private final Authenticator auth;

  AuditEndpoints(AuditService audit, Authenticator auth) {
    this.audit = audit;
    this.auth = auth;
  }

  void register(Router router) {
    router.get("/api/v1/audit", this::list);
  }

  private void list(Call call) throws Exception {
    var actor = auth.principal(call);
    long after = call.queryInt("after", 0);
    int limit = call.queryInt("limit", 100);
    AuditQuery query = Validation.valid(() -> new AuditQuery(call.query("subject"), after, limit));
    List<AuditEvent> events = audit.list(actor, query);
    call.json(
        200,
        new AuditPage(
            events.stream().map(Views::auditEvent).toList(),
            events.isEmpty() ? after : events.getLast().seq()));
  }
}
