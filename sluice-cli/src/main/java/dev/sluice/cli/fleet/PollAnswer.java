package dev.sluice.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What a DDI poll ({@code GET /{tenant}/controller/v1/{controllerId}}) answered: the interval the
 * server asks for ({@code config.polling.sleep}, "HH:MM:SS") and the links to what the device
 * should do next ({@code _links.deploymentBase}, {@code cancelAction}, {@code configData}).
 */
record PollAnswer(
    Optional<Duration> sleep,
    Optional<URI> deploymentBase,
    Optional<URI> cancelAction,
    Optional<URI> configData) {

  static PollAnswer parse(JsonNode json, URI server) throws DdiException {
    if (json == null || !json.isObject()) {
      throw new DdiException("the poll answer is not a JSON object");
    }
    JsonNode sleep = json.path("config").path("polling").path("sleep");
    JsonNode links = json.path("_links");
    return new PollAnswer(
        sleep.isTextual() ? Optional.of(parseSleep(sleep.asText())) : Optional.empty(),
        link(links, "deploymentBase", server),
        link(links, "cancelAction", server),
        link(links, "configData", server));
  }

  /** hawkBit's poll interval format: {@code HH:MM:SS}. */
  static Duration parseSleep(String text) throws DdiException {
    String[] parts = text.split(":", -1);
    if (parts.length != 3) {
      throw new DdiException("config.polling.sleep is not HH:MM:SS: '" + text + "'");
    }
    try {
      long hours = Long.parseLong(parts[0]);
      long minutes = Long.parseLong(parts[1]);
      long seconds = Long.parseLong(parts[2]);
      if (hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
        throw new DdiException("config.polling.sleep is out of range: '" + text + "'");
      }
      return Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new DdiException("config.polling.sleep is not HH:MM:SS: '" + text + "'");
    }
  }

  /** {@code _links.NAME.href}, resolved against the server (hawkBit sends absolute URLs). */
  static Optional<URI> link(JsonNode links, String name, URI server) throws DdiException {
    JsonNode href = links.path(name).path("href");
    if (!href.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(server.resolve(href.asText()));
    } catch (IllegalArgumentException e) {
      throw new DdiException("the link " + name + " is not a URL: '" + href.asText() + "'");
    }
  }

  /** The action id at the end of a link's path, e.g. 42 in {@code .../deploymentBase/42?c=...}. */
  static String actionId(URI link) throws DdiException {
    String path = link.getPath();
    int slash = path == null ? -1 : path.lastIndexOf('/');
    if (slash < 0 || slash == path.length() - 1) {
      throw new DdiException("the link " + link + " does not end in an action id");
    }
    return path.substring(slash + 1);
  }
}
