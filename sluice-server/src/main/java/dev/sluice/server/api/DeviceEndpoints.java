package dev.sluice.server.api;

import dev.sluice.api.WireJson;
import dev.sluice.api.device.BulkRegistration;
import dev.sluice.api.device.DeviceView;
import dev.sluice.api.device.RegisterDeviceRequest;
import dev.sluice.api.device.TagDeviceRequest;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.DeviceImport;
import dev.sluice.core.device.DevicePage;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.device.Idempotency;
import dev.sluice.core.device.NewDevice;
import dev.sluice.core.device.RegisteredDevice;
import dev.sluice.core.product.ProductName;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.RequestBodies;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Devices: register one or in bulk, list with filters, show, count, tag. */
public final class DeviceEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;

  /** A bulk file of 100,000 devices with operator tokens and tags fits. */
  static final int BULK_LIMIT = 32 << 20;

  private final DeviceService devices;

  public DeviceEndpoints(DeviceService devices) {
    this.devices = devices;
  }

  public void register(Router router) {
    router.post("/api/v1/devices", Access.role(Role.ADMIN, Role.OPERATOR), this::registerOne);
    router
        .post("/api/v1/devices/bulk", Access.role(Role.ADMIN, Role.OPERATOR), this::registerBulk)
        .consumes("text/csv", "application/json");
    router
        .get("/api/v1/devices", Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR), this::list)
        .query("product", "filter", "after", "limit");
    // Not /api/v1/devices/count: that is the device whose controller id is "count".
    router
        .get(
            "/api/v1/device-count",
            Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
            this::count)
        .query("product", "filter");
    router.get(
        "/api/v1/devices/{controllerId}",
        Access.role(Role.ADMIN, Role.OPERATOR, Role.AUDITOR),
        this::show);
    router.post(
        "/api/v1/devices/{controllerId}/tags", Access.role(Role.ADMIN, Role.OPERATOR), this::tag);
  }

  private void registerOne(Call call) throws Exception {
    Principal actor = call.principal();
    Violations violations = new Violations();
    RegisterDeviceRequest body = call.body(RegisterDeviceRequest.class, BODY_LIMIT, violations);
    ControllerId id =
        violations.check("controller_id", () -> new ControllerId(body.controllerId()));
    ProductName product = violations.check("product", () -> new ProductName(body.product()));
    violations.throwIfAny();
    NewDevice spec =
        Validation.valid(
            () ->
                new NewDevice(
                    id,
                    product,
                    Set.copyOf(RequestBodies.orEmpty(body.tags())),
                    Optional.ofNullable(body.token())));
    RegisteredDevice registered = devices.register(actor, spec);
    DeviceView view = Views.device(registered.device());
    call.header("Location", "/api/v1/devices/" + registered.device().id());
    call.json(201, registered.generatedToken().map(view::withToken).orElse(view));
  }

  private void registerBulk(Call call) throws Exception {
    Principal actor = call.principal();
    String type =
        call.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).split(";")[0].strip();
    if (!type.equals("text/csv") && !type.equals("application/json")) {
      throw new SluiceException.InvalidInput(
          "a bulk registration is text/csv or application/json, not '" + type + "'");
    }
    // Lifts the server-wide body cap for this route; bodyBytes enforces the bulk limit.
    call.exchange().setMaxEntitySize(BULK_LIMIT + 1L);
    byte[] bytes = call.bodyBytes(BULK_LIMIT);
    Optional<Idempotency> idempotency =
        call.header("Idempotency-Key").map(key -> idempotency(key, type, bytes));
    DeviceImport.Parsed parsed =
        type.equals("text/csv") ? DeviceImport.csv(bytes) : DeviceImport.json(bytes);
    DeviceService.BulkResult result = devices.registerAll(actor, parsed, idempotency);
    List<RegisteredDevice> registered = result.devices();
    if (result.replayed()) {
      call.header("Idempotent-Replayed", "true");
    }
    call.json(
        201,
        new BulkRegistration(
            registered.size(),
            registered.stream()
                .map(
                    r ->
                        new BulkRegistration.Registered(
                            r.device().id().value(), r.generatedToken().orElse(null)))
                .toList()));
  }

  /** The key with the SHA-256 of what the request asks: its media type and body. */
  private static Idempotency idempotency(String key, String type, byte[] body) {
    java.security.MessageDigest digest = Sha256.newDigest();
    digest.update(type.getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) '\n');
    digest.update(body);
    Sha256 request = Sha256.fromBytes(digest.digest());
    try {
      return new Idempotency(key, request);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(
          e.getMessage(),
          List.of(new SluiceException.Violation("Idempotency-Key", e.getMessage())),
          e);
    }
  }

  private void list(Call call) throws Exception {
    Principal actor = call.principal();
    Optional<ControllerId> after =
        call.query("after").map(a -> KeyCursor.decode(PagedList.DEVICES, a).as(ControllerId::new));
    DevicePage page =
        devices.list(
            actor,
            product(call),
            call.query("filter").orElse(""),
            after,
            call.queryInt("limit", ListLimit.DEFAULT));
    call.json(
        200,
        new dev.sluice.api.device.DevicePage(
            page.devices().stream().map(Views::device).toList(),
            page.next().map(n -> new KeyCursor(n.value()).encode(PagedList.DEVICES)).orElse(null)));
  }

  private void count(Call call) throws Exception {
    Principal actor = call.principal();
    long count = devices.count(actor, product(call), call.query("filter").orElse(""));
    call.json(200, WireJson.MAPPER.createObjectNode().put("count", count));
  }

  private void show(Call call) throws Exception {
    Principal actor = call.principal();
    call.json(200, Views.device(devices.device(actor, id(call))));
  }

  private void tag(Call call) throws Exception {
    Principal actor = call.principal();
    ControllerId id = id(call);
    TagDeviceRequest body = call.body(TagDeviceRequest.class, BODY_LIMIT);
    call.json(
        200,
        Views.device(
            devices.tag(
                actor,
                id,
                Set.copyOf(RequestBodies.orEmpty(body.add())),
                Set.copyOf(RequestBodies.orEmpty(body.remove())))));
  }

  private static Optional<ProductName> product(Call call) {
    return call.query("product").map(p -> Validation.valid(() -> new ProductName(p)));
  }

  private static ControllerId id(Call call) {
    String raw = call.path("controllerId");
    try {
      return new ControllerId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("device", raw);
    }
  }
}
