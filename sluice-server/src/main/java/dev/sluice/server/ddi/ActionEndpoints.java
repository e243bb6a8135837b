package dev.sluice.server.ddi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ReasonRequest;
import dev.sluice.api.WireJson;
import dev.sluice.api.ddi.AssignActionRequest;
import dev.sluice.api.ddi.DdiSettingsRequest;
import dev.sluice.core.ListLimit;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Text;
import dev.sluice.core.Validation;
import dev.sluice.core.Violations;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionFeedback;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.DdiSettings;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.RequestBodies;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Assigning a release to one device directly and following its actions: {@code POST
 * /api/v1/devices/{controllerId}/actions}, {@code GET /api/v1/devices/{controllerId}/actions},
 * {@code POST /api/v1/actions/{id}/cancel} (operators and admins; auditors may read).
 */
public final class ActionEndpoints {
  private static final int BODY_LIMIT = 16 * 1024;

  private final Transactions transactions;
  private final ActionService<RolloutPorts> actions;
  private final PollCache cache;
  private final Clock clock;

  public ActionEndpoints(
      Transactions transactions,
      ActionService<RolloutPorts> actions,
      PollCache cache,
      Clock clock) {
    this.transactions = transactions;
    this.actions = actions;
    this.cache = cache;
    this.clock = clock;
  }

  public void register(Router router) {
    router.post(
        "/api/v1/devices/{controllerId}/actions",
        Access.role(Role.ADMIN, Role.OPERATOR),
        this::assign);
    router
        .get(
            "/api/v1/devices/{controllerId}/actions",
            Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
            this::list)
        .query("limit");
    router.post(
        "/api/v1/actions/{id}/cancel", Access.role(Role.ADMIN, Role.OPERATOR), this::cancel);
    router.get(
        "/api/v1/devices/{controllerId}/actions/{id}/feedback",
        Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
        this::feedback);
    router.get(
        "/api/v1/products/{name}/ddi",
        Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
        this::productDdi);
    router.put("/api/v1/products/{name}/ddi", Access.role(Role.ADMIN), this::setProductDdi);
    router.get(
        "/api/v1/rollouts/{id}/consent",
        Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
        this::rolloutConsent);
  }

  /** The action's feedback history: what the device reported (its own words) and when. */
  private void feedback(Call call) throws IOException {
    ControllerId device = deviceId(call);
    ActionId id = pathActionId(call);
    List<ActionFeedback> records =
        transactions.read(
            repos -> {
              Action action =
                  repos
                      .actions()
                      .find(id)
                      .filter(a -> a.spec().device().equals(device))
                      .orElseThrow(() -> new SluiceException.NotFound("action", id.toString()));
              return actions.history(repos, action.id());
            });
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.put("action", id.value());
    root.put("device", device.value());
    root.put("kept_first", ActionService.KEEP_FIRST_FEEDBACK);
    root.put("kept_max", ActionService.MAX_FEEDBACK_PER_ACTION);
    ArrayNode list = root.putArray("feedback");
    for (ActionFeedback f : records) {
      ObjectNode n = list.addObject();
      n.put("seq", f.seq());
      n.put("at", f.at().toString());
      n.put("source", f.fromServer() ? "server" : "device");
      n.put("execution", f.execution());
      n.put("result", f.result());
      n.put("body", f.body());
    }
    call.json(200, root);
  }

  private void productDdi(Call call) throws IOException {
    ProductName name = productName(call);
    DdiSettings settings =
        transactions.read(
            repos -> {
              if (repos.products().find(name).isEmpty()) {
                throw new SluiceException.NotFound("product", name.value());
              }
              return repos.products().ddiSettings(name);
            });
    call.json(200, json(name, settings));
  }

  /** Sets how the device API presents a product: the chunk part and whether consent is needed. */
  private void setProductDdi(Call call) throws IOException {
    Principal actor = call.principal();
    ProductName name = productName(call);
    DdiSettingsRequest body = call.body(DdiSettingsRequest.class, BODY_LIMIT);
    Instant now = clock.instant();
    DdiSettings settings =
        transactions.write(
            repos -> {
              DdiSettings before = repos.products().ddiSettings(name);
              DdiSettings after =
                  Validation.valid(
                      () ->
                          new DdiSettings(
                              Objects.requireNonNullElse(body.part(), before.part()),
                              Objects.requireNonNullElse(body.consent(), before.consent())));
              if (!repos.products().setDdiSettings(name, after)) {
                throw new SluiceException.NotFound("product", name.value());
              }
              ObjectNode detail = WireJson.MAPPER.createObjectNode();
              detail.put("part", after.part());
              detail.put("consent", after.consent());
              repos
                  .audit()
                  .append(
                      AuditEvent.draft(
                          now, actor.name(), "product.ddi", "product/" + name.value(), detail));
              return after;
            });
    call.json(200, json(name, settings));
  }

  /** A rollout's devices that wait for their owner's consent, and those whose owner denied. */
  private void rolloutConsent(Call call) throws IOException {
    String id = call.path("id");
    java.util.Map<String, Long> counts =
        transactions.read(
            repos -> {
              RolloutId rollout = Validation.valid(() -> new RolloutId(id));
              if (repos.rollouts().find(rollout).isEmpty()) {
                throw new SluiceException.NotFound("rollout", id);
              }
              return repos.actions().openCountsOfRollout(rollout.value());
            });
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.put("rollout", id);
    root.put("waiting", counts.getOrDefault("waiting_confirmation", 0L));
    root.put("denied", counts.getOrDefault("denied", 0L));
    call.json(200, root);
  }

  private static ObjectNode json(ProductName name, DdiSettings settings) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("product", name.value());
    node.put("part", settings.part());
    node.put("consent", settings.consent());
    return node;
  }

  private static ProductName productName(Call call) {
    String text = call.path("name");
    try {
      return new ProductName(text);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound(
          "product", text.length() > 64 ? text.substring(0, 64) : text);
    }
  }

  private static ActionId pathActionId(Call call) {
    String text = call.path("id");
    try {
      return ActionId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound(
          "action", text.length() > 32 ? text.substring(0, 32) : text);
    }
  }

  private void assign(Call call) throws IOException {
    Principal actor = call.principal();
    ControllerId device = deviceId(call);
    Violations violations = new Violations();
    AssignActionRequest body = call.body(AssignActionRequest.class, BODY_LIMIT, violations);
    ReleaseId release = violations.check("release_id", () -> new ReleaseId(body.releaseId()));
    ActionType type =
        violations.check(
            "type",
            () -> ActionType.fromWireName(Objects.requireNonNullElse(body.type(), "forced")));
    Optional<Instant> forcedAt =
        violations.check(
            "forced_at",
            () ->
                Optional.ofNullable(body.forcedAt())
                    .map(
                        t -> Text.instant("forced_at", time("forced_at", () -> Instant.parse(t)))));
    ConfirmationPolicy confirmation =
        violations.check(
            "confirmation",
            () ->
                Optional.ofNullable(body.confirmation())
                    .map(ActionEndpoints::confirmation)
                    .orElse(ConfirmationPolicy.RUNNING_VERSION));
    Optional<MaintenanceWindow> window =
        violations.check(
            "maintenance_window",
            () -> Optional.ofNullable(body.maintenanceWindow()).map(ActionEndpoints::window));
    boolean consent = Boolean.TRUE.equals(body.consent());
    violations.throwIfAny();
    NewAction spec =
        Validation.valid(
            () ->
                new NewAction(
                    device,
                    release,
                    Optional.empty(),
                    0,
                    type,
                    forcedAt,
                    window,
                    confirmation,
                    1,
                    consent));
    Instant now = clock.instant();
    Action action = transactions.write(repos -> actions.assign(repos, actor.name(), spec, now));
    cache.invalidate(device);
    call.json(201, json(action));
  }

  private void list(Call call) throws IOException {
    ControllerId device = deviceId(call);
    int limit = ListLimit.check(call.queryInt("limit", ListLimit.DEFAULT));
    List<Action> history =
        transactions.read(
            repos -> {
              if (repos.devices().find(device).isEmpty()) {
                throw new SluiceException.NotFound("device", device.value());
              }
              return repos.actions().history(device, limit);
            });
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("actions");
    history.forEach(a -> list.add(json(a)));
    call.json(200, root);
  }

  private void cancel(Call call) throws IOException {
    Principal actor = call.principal();
    String text = call.path("id");
    ActionId id;
    try {
      id = ActionId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("action", text);
    }
    byte[] bytes = call.bodyBytes(BODY_LIMIT);
    String reason =
        bytes.length == 0
            ? "cancelled by " + actor.name()
            : Objects.requireNonNullElse(
                RequestBodies.read(bytes, ReasonRequest.class).reason(),
                "cancelled by " + actor.name());
    if (reason.length() > 500) {
      throw new SluiceException.InvalidInput("a cancel reason is at most 500 characters");
    }
    Instant now = clock.instant();
    Action action =
        transactions.write(repos -> actions.cancel(repos, actor.name(), id, reason, now));
    cache.invalidate(action.spec().device());
    call.json(200, json(action));
  }

  private static ControllerId deviceId(Call call) {
    String id = call.path("controllerId");
    try {
      return new ControllerId(id);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("device", id);
    }
  }

  private static ConfirmationPolicy confirmation(String text) {
    return switch (text) {
      case "running-version" -> ConfirmationPolicy.RUNNING_VERSION;
      case "ddi-success" -> ConfirmationPolicy.DDI_SUCCESS;
      default ->
          throw new SluiceException.InvalidInput(
              "confirmation is running-version or ddi-success; got '" + text + "'");
    };
  }

  private static MaintenanceWindow window(AssignActionRequest.MaintenanceWindowRequest w) {
    Duration duration = time("maintenance_window.duration", () -> Duration.parse(w.duration()));
    ZoneId zone =
        time(
            "maintenance_window.zone",
            () -> ZoneId.of(Objects.requireNonNullElse(w.zone(), "UTC")));
    return Validation.valid(() -> new MaintenanceWindow(w.schedule(), duration, zone));
  }

  private static <T> T time(String field, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (java.time.DateTimeException e) {
      throw new SluiceException.InvalidInput(
          field + " is not valid (ISO-8601 instants and durations, IANA zones): " + e.getMessage());
    }
  }

  static String wire(ConfirmationPolicy policy) {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static ObjectNode json(Action a) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("id", a.id().value());
    node.put("device", a.spec().device().value());
    node.put("release_id", a.spec().release().value());
    a.spec().rollout().ifPresent(r -> node.put("rollout", r));
    node.put("stage", a.spec().stage());
    node.put("type", a.spec().type().wireName());
    a.spec().forcedAt().ifPresent(t -> node.put("forced_at", t.toString()));
    a.spec()
        .window()
        .ifPresent(
            w ->
                node.putObject("maintenance_window")
                    .put("schedule", w.schedule())
                    .put("duration", w.duration().toString())
                    .put("zone", w.zone().getId()));
    node.put("confirmation", wire(a.spec().confirmation()));
    node.put("attempt", a.spec().attempt());
    node.put("status", a.status().name().toLowerCase(Locale.ROOT));
    node.put("created_at", a.createdAt().toString());
    node.put("updated_at", a.updatedAt().toString());
    a.lastMessage().ifPresent(m -> node.put("last_message", m));
    return node;
  }
}
