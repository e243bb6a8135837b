package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;
import java.util.List;

/**
 * {@code POST /api/v1/devices}: one device of a product; without {@code token} the server generates
 * the device's token and answers it once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterDeviceRequest(
    @Required String controllerId, @Required String product, List<String> tags, String token) {
  @Override
  public String toString() {
    return "RegisterDeviceRequest[" + controllerId + ", " + product + "]";
  }
}
