package dev.sluice.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.CommandFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * A phone in the demo, speaking hawkBit DDI v1 with its target token as an update client would:
 * poll, fetch the deployment, report the installation, and after the reboot report the version it
 * runs.
 */
final class DemoDevice {
  private static final ObjectMapper JSON = new ObjectMapper();
  final String id;
  private final URI server;
  private final String token;
  private final HttpClient http;

  DemoDevice(HttpClient http, URI server, String id, String token) {
    this.http = http;
    this.server = server;
    this.id = id;
    this.token = token;
  }

  /** The action the server offers on a poll, if any. */
  Optional<String> poll() {
    JsonNode href = send("GET", base(), null).path("_links").path("deploymentBase").path("href");
    if (href.isMissingNode()) {
      return Optional.empty();
    }
    return Optional.of(URI.create(href.asText()).getPath().replaceAll(".*/deploymentBase/", ""));
  }

  /** Fetches the deployment and reports it installed; on success, reboots into {@code version}. */
  void install(String action, boolean succeeds, String version) {
    send("GET", base() + "/deploymentBase/" + action, null);
    ObjectNode feedback = JSON.createObjectNode();
    feedback.put("id", action);
    ObjectNode status = feedback.putObject("status");
    status.put("execution", "closed");
    status.putObject("result").put("finished", succeeds ? "success" : "failure");
    if (!succeeds) {
      status.putArray("details").add("installer: verification of the new slot failed");
    }
    send("POST", base() + "/deploymentBase/" + action + "/feedback", feedback);
    if (succeeds) {
      ObjectNode installed = JSON.createObjectNode();
      installed.put("version", version);
      send("PUT", base() + "/installedBase", installed);
    }
  }

  private String base() {
    return "/DEFAULT/controller/v1/" + id;
  }

  private JsonNode send(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path))
            .header("Authorization", "TargetToken " + token)
            .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new CommandFailedException(
            "device " + id + ": " + method + " " + path + " answered " + response.statusCode());
      }
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CommandFailedException("device " + id + " could not reach the server: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted");
    }
  }
}
