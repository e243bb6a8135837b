package dev.sluice.server.api;

import dev.sluice.api.ReasonRequest;
import dev.sluice.api.rollout.RolloutList;
import dev.sluice.api.rollout.RolloutRequest;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PageCursor;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutFilters;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.RolloutSpecJson;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.RequestBodies;
import dev.sluice.server.http.Router;
import dev.sluice.server.rollout.WebhookHosts;
import java.util.Optional;

/** Rollouts: create, start, pause, resume, approve, cancel, read (see docs/rollouts.md). */
public final class RolloutEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;
  private final RolloutService rollouts;
  private final WebhookHosts webhookHosts;

  public RolloutEndpoints(RolloutService rollouts, WebhookHosts webhookHosts) {
    this.rollouts = rollouts;
    this.webhookHosts = webhookHosts;
  }

  public void register(Router router) {
    router.post("/api/v1/rollouts", Access.role(Role.ADMIN, Role.OPERATOR), this::create);
    router
        .get("/api/v1/rollouts", Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR), this::list)
        .query("state", "filter", "sort", "limit", "after");
    router.get(
        "/api/v1/rollouts/{id}", Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR), this::show);
    router.post(
        "/api/v1/rollouts/{id}/start",
        Access.role(Role.ADMIN, Role.OPERATOR),
        call -> act(call, "start"));
    router.post(
        "/api/v1/rollouts/{id}/pause",
        Access.role(Role.ADMIN, Role.OPERATOR),
        call -> act(call, "pause"));
    router.post(
        "/api/v1/rollouts/{id}/resume",
        Access.role(Role.ADMIN, Role.OPERATOR),
        call -> act(call, "resume"));
    router.post(
        "/api/v1/rollouts/{id}/approve",
        Access.role(Role.ADMIN, Role.OPERATOR),
        call -> act(call, "approve"));
    router.post(
        "/api/v1/rollouts/{id}/cancel", Access.role(Role.ADMIN, Role.OPERATOR), this::cancel);
    router.delete("/api/v1/rollouts/{id}", Access.role(Role.ADMIN, Role.OPERATOR), this::delete);
  }

  private void create(Call call) throws Exception {
    Principal actor = call.principal();
    Violations violations = new Violations();
    RolloutRequest body = call.body(RolloutRequest.class, BODY_LIMIT, violations);
    RolloutSpec spec = RolloutSpecJson.fromWire(body, violations);
    webhookHosts.check(spec);
    var created = rollouts.create(actor, spec);
    call.header("Location", "/api/v1/rollouts/" + created.id());
    call.json(201, RolloutViews.rollout(rollouts.rollout(actor, created.id())));
  }

  private void list(Call call) throws Exception {
    Principal actor = call.principal();
    Optional<RolloutState> state =
        call.query("state").map(s -> Validation.valid(() -> RolloutState.fromWire(s)));
    int limit = call.queryInt("limit", ListLimit.DEFAULT);
    Optional<PageCursor> after =
        call.query("after").map(a -> PageCursor.decode(PagedList.ROLLOUTS, a));
    ListFilter filter = RolloutFilters.parse(call.query("filter").orElse(""));
    SortOrder order =
        SortOrder.parse(call.query("sort"), RolloutFilters.SORT_FIELD, SortOrder.DESCENDING);
    Page<Rollout> page = rollouts.page(actor, state, filter, order, after, limit);
    call.json(
        200,
        new RolloutList(
            page.items().stream().map(RolloutViews::summary).toList(),
            page.next().map(c -> c.encode(PagedList.ROLLOUTS)).orElse(null)));
  }

  private void show(Call call) throws Exception {
    Principal actor = call.principal();
    call.json(200, RolloutViews.rollout(rollouts.rollout(actor, id(call))));
  }

  private void act(Call call, String what) throws Exception {
    Principal actor = call.principal();
    RolloutId id = id(call);
    switch (what) {
      case "start" -> rollouts.start(actor, id);
      case "pause" -> rollouts.pause(actor, id);
      case "resume" -> rollouts.resume(actor, id);
      case "approve" -> rollouts.approve(actor, id);
      default -> throw new IllegalStateException(what);
    }
    call.json(200, RolloutViews.rollout(rollouts.rollout(actor, id)));
  }

  private void cancel(Call call) throws Exception {
    Principal actor = call.principal();
    RolloutId id = id(call);
    byte[] bytes = call.bodyBytes(BODY_LIMIT);
    Optional<String> reason =
        bytes.length == 0
            ? Optional.empty()
            : dev.sluice.core.Text.optionalLine(
                "reason",
                Optional.ofNullable(RequestBodies.read(bytes, ReasonRequest.class).reason()),
                dev.sluice.core.Text.MAX_REASON);
    rollouts.cancel(actor, id, reason);
    call.json(200, RolloutViews.rollout(rollouts.rollout(actor, id)));
  }

  /** Deletes a rollout that is over; the devices' actions and history stay. */
  private void delete(Call call) throws Exception {
    Principal actor = call.principal();
    RolloutId id = id(call);
    rollouts.delete(actor, id);
    call.bytes(204, "application/json", new byte[0]);
  }

  private static RolloutId id(Call call) {
    String raw = call.path("id");
    try {
      return new RolloutId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("rollout", raw);
    }
  }
}
