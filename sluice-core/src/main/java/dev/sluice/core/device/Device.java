package dev.sluice.core.device;

import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A registered device. Its secret target token is not part of this value: only its SHA-256 is
 * stored, behind {@link dev.sluice.core.device.DeviceRepository#targetTokenHash}.
 *
 * @param id the DDI controller id
 * @param product the product the device runs (it is offered only that product's releases)
 * @param attributes what the device reported through DDI {@code configData} (update telemetry only:
 *     hardware revision, installed versions and the like)
 * @param tags labels the operator set, for target filters
 * @param installedVersion the version the device runs, as last confirmed or reported
 * @param installedRelease the release that version belongs to, when Sluice knows it
 * @param status the update status
 * @param registeredAt when the device was registered
 * @param lastSeen when it last polled (batched: may lag a few seconds)
 * @param decommissionedAt when it was decommissioned: no credential speaks for it any more, it is
 *     left out of fleet lists and rollouts, and its history stays
 */
public record Device(
    ControllerId id,
    ProductName product,
    SortedMap<String, String> attributes,
    SortedSet<String> tags,
    Optional<Version> installedVersion,
    Optional<ReleaseId> installedRelease,
    DeviceStatus status,
    Instant registeredAt,
    Optional<Instant> lastSeen,
    Optional<Instant> decommissionedAt) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(product, "product");
    attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    tags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    Objects.requireNonNull(installedVersion, "installedVersion");
    Objects.requireNonNull(installedRelease, "installedRelease");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(registeredAt, "registeredAt");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(decommissionedAt, "decommissionedAt");
  }

  /** A device in service (not decommissioned). */
  public Device(
      ControllerId id,
      ProductName product,
      SortedMap<String, String> attributes,
      SortedSet<String> tags,
      Optional<Version> installedVersion,
      Optional<ReleaseId> installedRelease,
      DeviceStatus status,
      Instant registeredAt,
      Optional<Instant> lastSeen) {
    this(
        id,
        product,
        attributes,
        tags,
        installedVersion,
        installedRelease,
        status,
        registeredAt,
        lastSeen,
        Optional.empty());
  }

  /** True once the device was decommissioned. */
  public boolean decommissioned() {
    return decommissionedAt.isPresent();
  }

  /** A newly registered device: no attributes reported, nothing installed, never seen. */
  public static Device registered(
      ControllerId id, ProductName product, Set<String> tags, Instant at) {
    return new Device(
        id,
        product,
        new TreeMap<>(),
        new TreeSet<>(tags),
        Optional.empty(),
        Optional.empty(),
        DeviceStatus.UNKNOWN,
        at,
        Optional.empty());
  }

  public Device withAttributes(Map<String, String> newAttributes) {
    return new Device(
        id,
        product,
        new TreeMap<>(newAttributes),
        tags,
        installedVersion,
        installedRelease,
        status,
        registeredAt,
        lastSeen,
        decommissionedAt);
  }
}
