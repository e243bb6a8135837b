package dev.sluice.core.rollout;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.product.ProductName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The devices a rollout draws from, and how their filters are read. */
public interface Fleet {

  /**
   * Parses a device filter.
   *
   * @throws IllegalArgumentException if the text is not a valid filter
   */
  DeviceFilter parse(String text);

  /** The product's devices the filter selects, by controller id, after {@code after}. */
  List<Device> matching(
      Repositories repos,
      ProductName product,
      DeviceFilter filter,
      Optional<ControllerId> after,
      int limit);

  /**
   * The product's devices the filter selects that registered after ({@code since}, {@code after})
   * in (registration time, controller id) order; for dynamic rollouts.
   */
  List<Device> registeredAfter(
      Repositories repos,
      ProductName product,
      DeviceFilter filter,
      Instant since,
      Optional<ControllerId> after,
      int limit);
}
