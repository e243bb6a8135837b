package dev.sluice.cli.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.core.device.ControllerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Registers a simulated fleet through the management API in batches ({@code POST
 * /api/v1/devices/bulk}): devices {@code PREFIX000000}, {@code PREFIX000001}, ... of one product.
 */
public final class FleetRegistration {
  /** Devices per bulk request. */
  static final int BATCH = 5000;

  private FleetRegistration() {}

  /** A bulk registration body: a JSON array of {@code {controller_id, product}}. */
  private static byte[] json(String product, List<String> ids) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    ids.forEach(id -> list.addObject().put("controller_id", id).put("product", product));
    return list.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The controller id of the device at {@code index}. */
  public static ControllerId controllerId(String prefix, int index) {
    return new ControllerId(prefix + String.format(Locale.ROOT, "%06d", index));
  }

  /**
   * Registers {@code count} devices of {@code product}.
   *
   * @param registered told how many are registered so far, after each batch
   * @return the devices with their target tokens, in index order
   */
  public static List<SimulatedDevice> register(
      SluiceClient client, String product, String prefix, int count, IntConsumer registered) {
    List<SimulatedDevice> devices = new ArrayList<>(count);
    for (int from = 0; from < count; from += BATCH) {
      List<String> ids = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + BATCH); i++) {
        ids.add(controllerId(prefix, i).value());
      }
      Map<String, String> tokens =
          client.registerDevices(json(product, ids), "application/json").generatedTokens();
      for (String id : ids) {
        String token = tokens.get(id);
        if (token == null) {
          throw new CommandFailedException("the server registered " + id + " without a token");
        }
        devices.add(SimulatedDevice.withTargetToken(devices.size(), new ControllerId(id), token));
      }
      registered.accept(devices.size());
    }
    return List.copyOf(devices);
  }
}
