package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.auth.TokenList;
import dev.sluice.api.device.RotateTokensRequest;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceCredentials;
import dev.sluice.core.device.DeviceCredentials.RotatedToken;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.token.ApiToken;
import dev.sluice.core.token.TokenId;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Credentials after they were issued: list and revoke API tokens; rotate and revoke device target
 * tokens, rotate them in bulk, decommission devices. A change drops this server's cached poll
 * answers at once ({@code onDeviceChange}, {@code onTokenRevoked}); other servers drop theirs from
 * the device change feed and the tokens' rows.
 */
public final class CredentialEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;

  /** The latest instant an expiry may name (bounded so that no arithmetic overflows). */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private final TokenService tokens;
  private final DeviceCredentials devices;
  private final Consumer<ControllerId> onDeviceChange;
  private final Consumer<Sha256> onTokenRevoked;

  public CredentialEndpoints(
      TokenService tokens,
      DeviceCredentials devices,
      Consumer<ControllerId> onDeviceChange,
      Consumer<Sha256> onTokenRevoked) {
    this.tokens = tokens;
    this.devices = devices;
    this.onDeviceChange = onDeviceChange;
    this.onTokenRevoked = onTokenRevoked;
  }

  public void register(Router router) {
    router
        .get("/api/v1/tokens", Access.role(Role.ADMIN, Role.AUDITOR), this::listTokens)
        .query("after", "limit");
    router.get("/api/v1/tokens/{id}", Access.role(Role.ADMIN, Role.AUDITOR), this::showToken);
    router.post("/api/v1/tokens/{id}/revoke", Access.role(Role.ADMIN), this::revokeToken);
    router.post(
        "/api/v1/devices/rotate-tokens",
        Access.role(Role.ADMIN, Role.OPERATOR),
        this::rotateTokens);
    router.post(
        "/api/v1/devices/{controllerId}/token/rotate",
        Access.role(Role.ADMIN, Role.OPERATOR),
        this::rotateDeviceToken);
    router.post(
        "/api/v1/devices/{controllerId}/token/revoke",
        Access.role(Role.ADMIN, Role.OPERATOR),
        this::revokeDeviceToken);
    router.post(
        "/api/v1/devices/{controllerId}/decommission",
        Access.role(Role.ADMIN, Role.OPERATOR),
        this::decommission);
  }

  private void listTokens(Call call) throws Exception {
    Principal actor = call.principal();
    Page<ApiToken> page =
        tokens.page(
            actor,
            call.query("after").map(a -> KeyCursor.decode(PagedList.TOKENS, a).as(TokenId::new)),
            call.queryInt("limit", ListLimit.DEFAULT));
    call.json(
        200,
        new TokenList(
            page.items().stream().map(Views::token).toList(),
            page.next().map(c -> c.encode(PagedList.TOKENS)).orElse(null)));
  }

  private void showToken(Call call) throws Exception {
    Principal actor = call.principal();
    TokenId id = tokenId(call);
    call.json(200, Views.token(tokens.token(actor, id)));
  }

  private void revokeToken(Call call) throws Exception {
    Principal actor = call.principal();
    ApiToken revoked = tokens.revoke(actor, tokenId(call));
    onTokenRevoked.accept(revoked.tokenSha256());
    call.json(200, Views.token(revoked));
  }

  private void rotateDeviceToken(Call call) throws Exception {
    Principal actor = call.principal();
    RotatedToken rotated = devices.rotateToken(actor, deviceId(call));
    onDeviceChange.accept(rotated.id());
    call.json(
        200,
        WireJson.MAPPER
            .createObjectNode()
            .put("controller_id", rotated.id().value())
            .put("token", rotated.token()));
  }

  private void revokeDeviceToken(Call call) throws Exception {
    Principal actor = call.principal();
    ControllerId id = deviceId(call);
    devices.revokeToken(actor, id);
    onDeviceChange.accept(id);
    call.json(
        200,
        WireJson.MAPPER
            .createObjectNode()
            .put("controller_id", id.value())
            .put("token_revoked", true));
  }

  private void decommission(Call call) throws Exception {
    Principal actor = call.principal();
    Device device = devices.decommission(actor, deviceId(call));
    onDeviceChange.accept(device.id());
    call.json(200, Views.device(device));
  }

  private void rotateTokens(Call call) throws Exception {
    Principal actor = call.principal();
    RotateTokensRequest body = call.body(RotateTokensRequest.class, BODY_LIMIT);
    Optional<ProductName> product =
        Optional.ofNullable(body.product()).map(p -> Validation.valid(() -> new ProductName(p)));
    List<RotatedToken> rotated =
        devices.rotateTokens(actor, product, Objects.requireNonNullElse(body.filter(), ""));
    rotated.forEach(r -> onDeviceChange.accept(r.id()));
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("count", rotated.size());
    ArrayNode list = node.putArray("devices");
    rotated.forEach(
        r -> list.addObject().put("controller_id", r.id().value()).put("token", r.token()));
    call.json(200, node);
  }

  /** A token's expiry: an RFC 3339 instant within a sane range. */
  static Instant instant(String text) {
    Instant parsed;
    try {
      parsed = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expires_at is not an RFC 3339 time such as 2027-03-01T00:00:00Z", e);
    }
    if (parsed.isAfter(LATEST) || parsed.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("expires_at is out of range");
    }
    return parsed;
  }

  private static TokenId tokenId(Call call) {
    String raw = call.path("id");
    try {
      return new TokenId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("token", raw);
    }
  }

  private static ControllerId deviceId(Call call) {
    String raw = call.path("controllerId");
    try {
      return new ControllerId(raw);
    } catch (IllegalArgumentException e) {
      throw invalid("controllerId", e.getMessage());
    }
  }

  private static SluiceException.InvalidInput invalid(String field, String message) {
    return new SluiceException.InvalidInput(
        field + " " + message, List.of(new SluiceException.Violation(field, message)), null);
  }
}
