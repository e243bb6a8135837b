package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body with several problems is answered with one 400 naming every one of them. */
class EveryViolationHttpTest {
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  Http http;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(1);
    http = p.http;
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private static List<String> locations(Http.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    for (JsonNode v : response.json().path("violations")) {
      out.add(v.path("location").asText());
    }
    return out;
  }

  @Test
  void productWithABadNameNoThresholdAndAnUnknownFieldNamesAllThree() {
    ObjectNode body = Http.object();
    body.put("name", "Not A Slug!");
    body.putArray("certifiers").add("lab-1");
    body.put("treshold", 1);
    Http.Response response = http.post("/api/v1/products", p.adminToken, body);

    assertThat(locations(response)).containsExactlyInAnyOrder("/treshold", "/name", "/threshold");
    assertThat(response.json().path("detail").asText()).startsWith("3 problems");
    assertThat(http.get("/api/v1/products", p.adminToken).json().path("products")).isEmpty();
  }

  @Test
  void deviceWithABadIdAndNoProductNamesBoth() {
    ObjectNode body = Http.object();
    body.put("controller_id", "bad id with spaces");
    body.put("tags", "not-a-list");
    Http.Response response = http.post("/api/v1/devices", p.adminToken, body);

    assertThat(locations(response))
        .containsExactlyInAnyOrder("/controller_id", "/product", "/tags");
    assertThat(http.get("/api/v1/devices", p.adminToken).json().path("devices")).isEmpty();
  }

  @Test
  void aSingleProblemKeepsItsOwnMessage() {
    ObjectNode body = Http.object();
    body.put("product", "acme-phone");
    Http.Response response = http.post("/api/v1/devices", p.adminToken, body);

    assertThat(locations(response)).containsExactly("/controller_id");
    assertThat(response.json().path("detail").asText()).isEqualTo("controller_id is required");
  }
}
