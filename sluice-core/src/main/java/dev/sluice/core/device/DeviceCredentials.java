package dev.sluice.core.device;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.ProductName;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Device credentials after registration: rotate or revoke a device's target token, rotate the
 * tokens of a filtered set of devices in bulk, and decommission a device. Every change is audited
 * and recorded in the device change feed in its transaction, so every server sharing the database
 * drops what it cached about the device (within about a second; at once on the server that made the
 * change, through {@code onChange}).
 */
public final class DeviceCredentials {
  /** The most devices one bulk rotation may change. */
  public static final int MAX_BULK = DeviceImport.MAX_ROWS;

  private static final int PAGE = 1000;
  private static final int AUDITED_IDS = 100;
  private static final Role[] WRITERS = {Role.ADMIN, Role.OPERATOR};

  private final UnitOfWork<? extends DevicePorts> transactions;
  private final Clock clock;

  public DeviceCredentials(UnitOfWork<? extends DevicePorts> transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A device and its new target token (shown once). */
  public record RotatedToken(ControllerId id, String token) {
    @Override
    public String toString() {
      return "RotatedToken[" + id + "]";
    }
  }

  /** Gives the device a new random target token; the old one stops working. */
  public RotatedToken rotateToken(Principal actor, ControllerId id) {
    actor.require(WRITERS);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          inService(repos, id);
          RotatedToken rotated = rotate(repos, id, now);
          audit(repos, actor, now, "device.token-rotated", "device/" + id, object());
          return rotated;
        });
  }

  /**
   * Revokes the device's target token: the device can no longer speak for itself (a gateway token
   * of its product still can) until its token is rotated.
   */
  public void revokeToken(Principal actor, ControllerId id) {
    actor.require(WRITERS);
    Instant now = clock.instant();
    transactions.write(
        repos -> {
          inService(repos, id);
          if (!repos.devices().revokeTargetToken(id, now)) {
            throw new SluiceException.Conflict(
                SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                "the target token of device '" + id + "' was revoked already");
          }
          repos.deviceChanges().record(id, now);
          audit(repos, actor, now, "device.token-revoked", "device/" + id, object());
          return null;
        });
  }

  /**
   * Decommissions the device: no credential speaks for it any more, it leaves the fleet lists, the
   * rollouts skip it (nothing more is assigned to it: their evaluator cancels its membership), and
   * its history (actions, rollout memberships, audit) stays.
   */
  public Device decommission(Principal actor, ControllerId id) {
    actor.require(WRITERS);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          inService(repos, id);
          repos.devices().decommission(id, now);
          repos.deviceChanges().record(id, now);
          audit(repos, actor, now, "device.decommissioned", "device/" + id, object());
          return repos.devices().find(id).orElseThrow();
        });
  }

  /**
   * Rotates the target tokens of every device in service the filter selects (optionally of one
   * product), at most {@link #MAX_BULK}, in one transaction: all or none.
   *
   * @param filter a device filter ({@code docs/device-filters.md}); required (use {@code id==*} to
   *     mean every device), so that a forgotten filter never rotates a whole fleet
   */
  public List<RotatedToken> rotateTokens(
      Principal actor, Optional<ProductName> product, String filter) {
    actor.require(WRITERS);
    if (filter == null || filter.isBlank()) {
      throw new SluiceException.InvalidInput(
          "filter is required (id==* selects every device)",
          List.of(new SluiceException.Violation("filter", "required")),
          null);
    }
    FilterNode parsed = DeviceFilters.parse(filter);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          product.ifPresent(
              p -> {
                if (repos.products().find(p).isEmpty()) {
                  throw new SluiceException.NotFound("product", p.value());
                }
              });
          long matched = repos.devices().count(product, parsed);
          if (matched > MAX_BULK) {
            throw new SluiceException.InvalidInput(
                "the filter selects "
                    + matched
                    + " devices; one rotation changes at most "
                    + MAX_BULK
                    + " (narrow the filter)");
          }
          if (matched == 0) {
            throw new SluiceException.InvalidInput(
                "the filter selects no device",
                List.of(new SluiceException.Violation("filter", "selects no device")),
                null);
          }
          List<RotatedToken> out = new ArrayList<>();
          Optional<ControllerId> after = Optional.empty();
          while (true) {
            List<Device> page = repos.devices().list(product, parsed, after, PAGE);
            for (Device d : page) {
              out.add(rotate(repos, d.id(), now));
            }
            if (page.size() < PAGE) {
              break;
            }
            after = Optional.of(page.getLast().id());
          }
          ObjectNode detail = object();
          detail.put("filter", filter);
          product.ifPresent(p -> detail.put("product", p.value()));
          detail.put("count", out.size());
          ArrayNode ids = detail.putArray("controller_ids");
          out.stream().limit(AUDITED_IDS).forEach(r -> ids.add(r.id().value()));
          audit(repos, actor, now, "device.tokens-rotated", "devices", detail);
          return out;
        });
  }

  private static RotatedToken rotate(DevicePorts repos, ControllerId id, Instant now) {
    String token = DeviceTokens.generate();
    repos.devices().setTargetToken(id, DeviceTokens.hash(token), now);
    repos.deviceChanges().record(id, now);
    return new RotatedToken(id, token);
  }

  private static Device inService(DevicePorts repos, ControllerId id) {
    Device device =
        repos
            .devices()
            .findForUpdate(id)
            .orElseThrow(() -> new SluiceException.NotFound("device", id.value()));
    if (device.decommissioned()) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          "device '" + id + "' was decommissioned at " + device.decommissionedAt().orElseThrow());
    }
    return device;
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static void audit(
      DevicePorts repos,
      Principal actor,
      Instant at,
      String action,
      String subject,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, subject, detail));
  }
}
