package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The agent's settings, kept in {@code config.json} of the state directory.
 *
 * @param server the Sluice server (DDI, {@code /tuf/}, {@code /log/}, {@code /manifests/})
 * @param tenant the DDI tenant, {@code DEFAULT} unless the server says otherwise
 * @param controllerId the device's DDI controller id
 * @param product the product the device runs, if pinned at init; else the first installed one
 * @param slots the directory holding slots {@code a} and {@code b} and the boot-control file
 * @param installer a command that writes the verified image for real (RAUC, SWUpdate, a script)
 * @param policy when to install
 * @param healthCommand a command whose exit 0 confirms a freshly booted slot
 * @param maxBootTries boots the new slot gets to be confirmed before the agent falls back
 * @param image which artifact of a release is the slot image, when a release has several
 */
public record AgentConfig(
    URI server,
    String tenant,
    String controllerId,
    Optional<String> product,
    Path slots,
    Optional<String> installer,
    UpdatePolicy policy,
    Optional<String> healthCommand,
    int maxBootTries,
    Optional<String> image) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final String FORMAT = "sluice.agent-config/v1";

  public AgentConfig {
    Objects.requireNonNull(server, "server");
    if (!("http".equals(server.getScheme()) || "https".equals(server.getScheme()))
        || server.getHost() == null) {
      throw new IllegalArgumentException("--server must be an http(s) URL, not " + server);
    }
    requireId("--tenant", tenant);
    requireId("--controller-id", controllerId);
    Objects.requireNonNull(product, "product").ifPresent(p -> requireId("--product", p));
    Objects.requireNonNull(slots, "slots");
    Objects.requireNonNull(installer, "installer");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(healthCommand, "healthCommand");
    installer.ifPresent(c -> requireCommand("--installer", c));
    healthCommand.ifPresent(c -> requireCommand("--health-cmd", c));
    Objects.requireNonNull(image, "image").ifPresent(i -> requireId("--image", i));
    if (maxBootTries < 1 || maxBootTries > 100) {
      throw new IllegalArgumentException("--max-boot-tries must be from 1 to 100");
    }
    String text = server.toString();
    server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  private static void requireId(String option, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          option + " must be 1-128 letters, digits, '.', '_', ':' or '-', not '" + value + "'");
    }
  }

  private static void requireCommand(String option, String command) {
    if (command.isBlank() || command.length() > 4096 || command.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(option + " must be a non-empty command line");
    }
  }

  public JsonNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", FORMAT);
    json.put("server", server.toString());
    json.put("tenant", tenant);
    json.put("controller_id", controllerId);
    product.ifPresent(p -> json.put("product", p));
    json.put("slots", slots.toString());
    installer.ifPresent(c -> json.put("installer", c));
    json.put("policy", policy.toString());
    healthCommand.ifPresent(c -> json.put("health_cmd", c));
    json.put("max_boot_tries", maxBootTries);
    image.ifPresent(i -> json.put("image", i));
    return json;
  }

  /**
   * Reads a {@code config.json}.
   *
   * @throws IllegalArgumentException naming the field that is missing or invalid
   */
  public static AgentConfig fromJson(JsonNode json) {
    if (!FORMAT.equals(json.path("format").asText())) {
      throw new IllegalArgumentException("format is not " + FORMAT);
    }
    return new AgentConfig(
        URI.create(text(json, "server")),
        text(json, "tenant"),
        text(json, "controller_id"),
        optional(json, "product"),
        Path.of(text(json, "slots")),
        optional(json, "installer"),
        UpdatePolicy.parse(text(json, "policy")),
        optional(json, "health_cmd"),
        json.path("max_boot_tries").asInt(0),
        optional(json, "image"));
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("field " + field + " is missing or not a string");
    }
    return value.asText();
  }

  private static Optional<String> optional(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
