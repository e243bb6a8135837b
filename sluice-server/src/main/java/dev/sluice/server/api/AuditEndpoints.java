package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
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
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("events");
    events.forEach(e -> list.add(Views.auditEvent(e)));
    node.put("next_after", events.isEmpty() ? after : events.getLast().seq());
    call.json(200, node);
  }
}
