package dev.sluice.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.RolloutSpecJson;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.JsonBody;
import dev.sluice.server.http.Router;
import dev.sluice.server.rollout.WebhookHosts;
import java.util.Optional;

/** Rollouts: create, start, pause, resume, approve, cancel, read (see docs/rollouts.md). */
public final class RolloutEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;
  private final RolloutService rollouts;
  private final Authenticator auth;
  private final WebhookHosts webhookHosts;

  public RolloutEndpoints(RolloutService rollouts, Authenticator auth, WebhookHosts webhookHosts) {
    this.rollouts = rollouts;
    this.auth = auth;
    this.webhookHosts = webhookHosts;
  }

  public void register(Router router) {
    router.post("/api/v1/rollouts", this::create);
    router.get("/api/v1/rollouts", this::list);
    router.get("/api/v1/rollouts/{id}", this::show);
    router.post("/api/v1/rollouts/{id}/start", call -> act(call, "start"));
    router.post("/api/v1/rollouts/{id}/pause", call -> act(call, "pause"));
    router.post("/api/v1/rollouts/{id}/resume", call -> act(call, "resume"));
    router.post("/api/v1/rollouts/{id}/approve", call -> act(call, "approve"));
    router.post("/api/v1/rollouts/{id}/cancel", this::cancel);
    router.add("DELETE", "/api/v1/rollouts/{id}", this::delete);
  }

  private void create(Call call) throws Exception {
    Principal actor = auth.principal(call);
    JsonNode body = JsonBody.parse(call.bodyBytes(BODY_LIMIT)).node();
    RolloutSpec spec = Validation.valid(() -> RolloutSpecJson.fromJson(body));
    webhookHosts.check(spec);
    var created = rollouts.create(actor, spec);
    call.header("Location", "/api/v1/rollouts/" + created.id());
    call.json(201, RolloutViews.rollout(rollouts.rollout(actor, created.id())));
  }

  private void list(Call call) throws Exception {
    Principal actor = auth.principal(call);
    Optional<RolloutState> state =
        call.query("state").map(s -> Validation.valid(() -> RolloutState.fromWire(s)));
    int limit = call.queryInt("limit", 100);
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("rollouts");
    rollouts.list(actor, state, limit).forEach(r -> list.add(RolloutViews.summary(r)));
    call.json(200, node);
  }

  private void show(Call call) throws Exception {
    Principal actor = auth.principal(call);
    call.json(200, RolloutViews.rollout(rollouts.rollout(actor, id(call))));
  }

  private void act(Call call, String what) throws Exception {
    Principal actor = auth.principal(call);
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
    Principal actor = auth.principal(call);
    RolloutId id = id(call);
    byte[] bytes = call.bodyBytes(BODY_LIMIT);
    Optional<String> reason =
        bytes.length == 0
            ? Optional.empty()
            : dev.sluice.core.Text.optionalLine(
                "reason",
                JsonBody.parse(bytes).allowOnly("reason").optionalText("reason"),
                dev.sluice.core.Text.MAX_REASON);
    rollouts.cancel(actor, id, reason);
    call.json(200, RolloutViews.rollout(rollouts.rollout(actor, id)));
  }

  /** Deletes a rollout that is over; the devices' actions and history stay. */
  private void delete(Call call) throws Exception {
    Principal actor = auth.principal(call);
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
