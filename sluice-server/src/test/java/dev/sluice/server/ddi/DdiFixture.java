package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.ProductName;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.JdbiTransactions;
import dev.sluice.store.db.Database;
import dev.sluice.trust.hash.Sha256;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real server with a product, a PUBLISHED release of it, and a way to register devices (straight
 * into the store, as the devices API does) and to speak DDI to it.
 */
final class DdiFixture implements AutoCloseable {
  static final String PRODUCT = "acme-phone";
  final ShiftableClock clock = new ShiftableClock();
  final RunningServer running;
  final Pipeline p;
  final Http http;
  final Database database;
  final Transactions transactions;
  final Map<String, byte[]> files;
  final String release;
  private String release2;

  DdiFixture(Path dataDir, UnaryOperator<DdiConfig> ddi) {
    this(dataDir, Optional.empty(), ddi);
  }

  DdiFixture(Path dataDir, Optional<String> databaseUrl, UnaryOperator<DdiConfig> ddi) {
    this(dataDir, databaseUrl, ddi, c -> c);
  }

  /** A fixture whose server configuration the test adjusts further (e.g. its blob store). */
  DdiFixture(
      Path dataDir,
      Optional<String> databaseUrl,
      UnaryOperator<DdiConfig> ddi,
      UnaryOperator<ServerConfig> server) {
    running =
        new RunningServer(
            dataDir,
            databaseUrl,
            clock,
            (ServerConfig c) -> server.apply(c.withDdi(ddi.apply(DdiConfig.defaults()))));
    p = running.pipeline.certifiers(2);
    http = p.http;
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    Tuf.init(p, Tuf.rootKeys(3));
    files = Pipeline.artifacts("ddi");
    release = published("1.0.0", files);
    database =
        Database.open(
            databaseUrl.orElse("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db")));
    transactions = new JdbiTransactions(database);
  }

  String published(String version, Map<String, byte[]> artifacts) {
    String id = Tuf.certified(p, PRODUCT, version, artifacts);
    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    return id;
  }

  /** A second published release (2.0.0), made on first use. */
  String release2() {
    if (release2 == null) {
      release2 = published("2.0.0", Pipeline.artifacts("ddi-2"));
    }
    return release2;
  }

  /** Registers a device of the product and returns its target token. */
  String device(String id) {
    return device(id, PRODUCT);
  }

  String device(String id, String product) {
    String token = "tt-" + id + "-" + System.nanoTime();
    transactions.write(
        repos -> {
          repos
              .devices()
              .insert(
                  Device.registered(
                      new ControllerId(id), new ProductName(product), Set.of(), clock.instant()),
                  Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
          return null;
        });
    return token;
  }

  Device stored(String id) {
    return transactions.read(repos -> repos.devices().find(new ControllerId(id))).orElseThrow();
  }

  /** Assigns the release to the device through the management API; returns the action JSON. */
  JsonNode assign(String device, String releaseId, String type, String confirmation) {
    ObjectNode body = Http.object();
    body.put("release_id", releaseId);
    body.put("type", type);
    if (confirmation != null) {
      body.put("confirmation", confirmation);
    }
    Http.Response r = http.post("/api/v1/devices/" + device + "/actions", p.adminToken, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json();
  }

  static String ddi(String device) {
    return "/DEFAULT/controller/v1/" + device;
  }

  static String target(String token) {
    return "TargetToken " + token;
  }

  Http.Response get(String path, String authorization) {
    return get(path, authorization, Map.of());
  }

  Http.Response get(String path, String authorization, Map<String, String> headers) {
    HttpRequest.Builder b = http.request(path, null).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach(b::header);
    return http.send(b.build());
  }

  Http.Response head(String path, String authorization) {
    HttpRequest.Builder b =
        http.request(path, null).method("HEAD", HttpRequest.BodyPublishers.noBody());
    b.header("Authorization", authorization);
    return http.send(b.build());
  }

  Http.Response post(String path, String authorization, String json) {
    return send("POST", path, authorization, json);
  }

  Http.Response put(String path, String authorization, String json) {
    return send("PUT", path, authorization, json);
  }

  private Http.Response send(String method, String path, String authorization, String body) {
    HttpRequest.Builder b =
        http.request(path, null)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build());
  }

  /** Feedback in the current form. */
  static String feedback(String execution, String finished, String... details) {
    return "{\"timestamp\":1732560000000,\"status\":{\"execution\":\""
        + execution
        + "\",\"result\":{\"finished\":\""
        + finished
        + "\"},\"details\":["
        + String.join(",", java.util.Arrays.stream(details).map(d -> "\"" + d + "\"").toList())
        + "]}}";
  }

  /** Feedback in SWUpdate's (older) form: numeric id, local time, progress. */
  static String swupdateFeedback(
      long id, String execution, String finished, int cnt, int of, String detail) {
    return "{ \"id\": "
        + id
        + ", \"time\": \"20261125T200901\", \"status\": { \"result\": { \"progress\": { \"cnt\" : "
        + cnt
        + ", \"of\" : "
        + of
        + " }, \"finished\": \""
        + finished
        + "\" }, \"execution\": \""
        + execution
        + "\", \"details\" : [ \""
        + detail
        + "\" ] } }";
  }

  /** The action id of the poll's deploymentBase link, and the link. */
  static String deploymentHref(JsonNode poll) {
    return poll.path("_links").path("deploymentBase").path("href").asText(null);
  }

  /** The path (and query) of an absolute link, to request it from the test's client. */
  static String path(String href) {
    java.net.URI uri = java.net.URI.create(href);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  String status(long actionId, String device) {
    Http.Response r = http.get("/api/v1/devices/" + device + "/actions", p.adminToken);
    for (JsonNode a : r.json().get("actions")) {
      if (a.get("id").asLong() == actionId) {
        return a.get("status").asText();
      }
    }
    throw new AssertionError("no action " + actionId + " in " + r.text());
  }

  @Override
  public void close() {
    database.close();
    running.close();
  }
}
