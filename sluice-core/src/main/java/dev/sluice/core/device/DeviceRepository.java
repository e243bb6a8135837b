package dev.sluice.core.device;

import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Registered devices. */
public interface DeviceRepository {

  /**
   * Registers a device with the SHA-256 of its target token.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the controller id is taken
   */
  void insert(Device device, Sha256 targetTokenHash);

  /** A device to register with the SHA-256 of its target token. */
  record Registration(Device device, Sha256 targetTokenHash) {
    public Registration {
      java.util.Objects.requireNonNull(device, "device");
      java.util.Objects.requireNonNull(targetTokenHash, "targetTokenHash");
    }
  }

  /**
   * Registers many devices in one batch (bulk registration of a whole fleet).
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if a controller id is taken;
   *     the caller's transaction then rolls back
   */
  void insertAll(List<Registration> registrations);

  /** Which of the given controller ids are registered already. */
  Set<ControllerId> existing(java.util.Collection<ControllerId> ids);

  Optional<Device> find(ControllerId id);

  /**
   * The device, locked against concurrent changes until the transaction ends ({@code SELECT … FOR
   * UPDATE} on PostgreSQL; SQLite serializes writers anyway). Use it to read-modify-write tags or
   * attributes.
   */
  Optional<Device> findForUpdate(ControllerId id);

  /**
   * Like {@link #findForUpdate} of each device, read (and locked, in controller id order) with a
   * constant number of statements; devices that do not exist are missing from the list.
   */
  List<Device> findAllForUpdate(java.util.Collection<ControllerId> ids);

  /**
   * The SHA-256 of the device's target token, if the device exists, its token is not revoked and it
   * is not decommissioned.
   */
  Optional<Sha256> targetTokenHash(ControllerId id);

  /**
   * The device and what {@link #targetTokenHash} would return for it, read with one statement for
   * both (the device API's poll needs the two; a separate read of the same row was one of the
   * statements every uncached poll ran).
   */
  Optional<WithTargetToken> findWithTargetToken(ControllerId id);

  /**
   * A device with the SHA-256 of its target token: empty if the token is revoked or the device is
   * decommissioned.
   */
  record WithTargetToken(Device device, Optional<Sha256> targetTokenHash) {
    public WithTargetToken {
      java.util.Objects.requireNonNull(device, "device");
      java.util.Objects.requireNonNull(targetTokenHash, "targetTokenHash");
    }
  }

  /** Gives the device a new target token (clearing a revocation); no-op if decommissioned. */
  void setTargetToken(ControllerId id, Sha256 targetTokenHash, Instant at);

  /** Revokes the device's target token; false if it was revoked already. */
  boolean revokeTargetToken(ControllerId id, Instant at);

  /** Whether the device's target token is revoked (false for an unknown device). */
  boolean targetTokenRevoked(ControllerId id);

  /** Decommissions the device; false if it was decommissioned already. */
  boolean decommission(ControllerId id, Instant at);

  /**
   * Devices in service the filter selects (optionally of one product), ordered by controller id,
   * starting after {@code after} (keyset paging), at most {@code limit}.
   */
  List<Device> list(
      Optional<ProductName> product, DeviceFilter filter, Optional<ControllerId> after, int limit);

  /**
   * Devices the filter selects (optionally of one product) registered after the position ({@code
   * since}, {@code after}) in (registration time, controller id) order, at most {@code limit}:
   * dynamic rollouts page through newly registered devices with it.
   */
  List<Device> registeredAfter(
      Optional<ProductName> product,
      DeviceFilter filter,
      Instant since,
      Optional<ControllerId> after,
      int limit);

  /** How many devices the filter selects (optionally of one product). */
  long count(Optional<ProductName> product, DeviceFilter filter);

  /** Replaces the device's reported attributes (DDI configData, already merged by the caller). */
  void updateAttributes(ControllerId id, Map<String, String> attributes, Instant at);

  /** Replaces the device's tags. */
  void updateTags(ControllerId id, Set<String> tags, Instant at);

  /** Records what the device runs now. */
  void setInstalled(ControllerId id, Version version, Optional<ReleaseId> release, Instant at);

  void setStatus(ControllerId id, DeviceStatus status, Instant at);

  /** Like {@link #setStatus} of each device, in one statement. */
  void setStatusAll(java.util.Collection<ControllerId> ids, DeviceStatus status, Instant at);

  /** Records polls seen since the last flush (batched, so a quiet poll writes nothing itself). */
  void touchLastSeen(Map<ControllerId, Instant> seen);

  /**
   * How many devices (of one product, or all) run each installed version; devices that never
   * reported a version are counted under the empty string.
   */
  Map<String, Long> versionCounts(Optional<ProductName> product);
}
