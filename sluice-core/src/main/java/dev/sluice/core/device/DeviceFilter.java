package dev.sluice.core.device;

/**
 * A target filter: which devices a query, a rollout or a dynamic rollout group selects. Parsed from
 * the small query language documented in {@code docs/device-filters.md} (by {@code
 * DeviceFilters.parse}); the store may translate it to SQL, and {@link #matches} is its exact
 * meaning over one device.
 */
public interface DeviceFilter {

  /** Whether the device is selected. */
  boolean matches(Device device);

  /** The filter's text, normalised (parsing it again yields an equal filter). */
  String text();
}
