package dev.sluice.core.device;

import dev.sluice.core.product.ProductName;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A device to register. Without a token Sluice generates one and returns it once.
 *
 * @param token an operator-provided target token, checked by {@link DeviceTokens#check}
 */
public record NewDevice(
    ControllerId id, ProductName product, Set<String> tags, Optional<String> token) {
  public NewDevice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(product, "product");
    tags = DeviceTags.checkAll(tags);
    Objects.requireNonNull(token, "token");
    token.ifPresent(DeviceTokens::check);
  }

  @Override
  public String toString() {
    return "NewDevice[" + id + ", " + product + ", " + tags + "]";
  }
}
