package dev.sluice.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A DDI {@code deploymentBase} answer: the action id, how to handle it ({@code deployment.download}
 * and {@code deployment.update}: {@code skip}, {@code attempt} or {@code forced}), whether the
 * maintenance window allows installing now, the version to install and the artifacts to fetch.
 */
record Deployment(
    String actionId,
    String download,
    String update,
    boolean windowAvailable,
    Optional<String> version,
    List<Artifact> artifacts) {

  Deployment {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(download, "download");
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(version, "version");
    artifacts = List.copyOf(artifacts);
  }

  /** One artifact of a chunk, with the link the device downloads it from. */
  record Artifact(String filename, Optional<String> sha256, long size, URI download) {}

  /** Whether the device should install (not only download) now. */
  boolean installNow() {
    return !update.equals("skip") && windowAvailable;
  }

  /** Whether this is a download-only action (nothing to install). */
  boolean downloadOnly() {
    return update.equals("skip");
  }

  static Deployment parse(JsonNode json, URI server) throws DdiException {
    if (json == null || !json.isObject()) {
      throw new DdiException("the deploymentBase answer is not a JSON object");
    }
    JsonNode id = json.path("id");
    if (!id.isTextual() && !id.isNumber()) {
      throw new DdiException("the deploymentBase answer has no id");
    }
    JsonNode deployment = json.path("deployment");
    String download = deployment.path("download").asText("forced").toLowerCase(Locale.ROOT);
    String update = deployment.path("update").asText("forced").toLowerCase(Locale.ROOT);
    boolean window = !deployment.path("maintenanceWindow").asText("").equals("unavailable");
    Optional<String> version = Optional.empty();
    List<Artifact> artifacts = new ArrayList<>();
    for (JsonNode chunk : deployment.path("chunks")) {
      if (version.isEmpty() && chunk.path("version").isTextual()) {
        version = Optional.of(chunk.path("version").asText());
      }
      for (JsonNode artifact : chunk.path("artifacts")) {
        artifacts.add(artifact(artifact, server));
      }
    }
    return new Deployment(id.asText(), download, update, window, version, artifacts);
  }

  private static Artifact artifact(JsonNode json, URI server) throws DdiException {
    String filename = json.path("filename").asText("");
    JsonNode sha256 = json.path("hashes").path("sha256");
    JsonNode links = json.path("_links");
    // hawkBit offers "download" (https) and "download-http"; take the one that matches the
    // server's scheme, else whichever is there.
    Optional<URI> https = PollAnswer.link(links, "download", server);
    Optional<URI> http = PollAnswer.link(links, "download-http", server);
    Optional<URI> sameScheme =
        https
            .filter(u -> server.getScheme().equalsIgnoreCase(u.getScheme()))
            .or(() -> http.filter(u -> server.getScheme().equalsIgnoreCase(u.getScheme())));
    URI link =
        sameScheme
            .or(() -> https)
            .or(() -> http)
            .orElseThrow(
                () -> new DdiException("artifact '" + filename + "' has no download link"));
    return new Artifact(
        filename,
        sha256.isTextual() ? Optional.of(sha256.asText()) : Optional.empty(),
        json.path("size").asLong(-1),
        link);
  }
}
