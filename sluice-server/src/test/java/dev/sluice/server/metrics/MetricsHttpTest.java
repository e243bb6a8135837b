package dev.sluice.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus scrapes {@code /metrics} as an operator's monitoring would. */
class MetricsHttpTest {
  @TempDir Path dataDir;
  private RunningServer running;
  private Http http;
  private Pipeline pipeline;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    pipeline = running.pipeline;
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private String scrape() {
    Http.Response r = http.get("/metrics", pipeline.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    return r.text();
  }

  @Test
  void metricsNeedAToken() {
    assertThat(http.get("/metrics", null).status()).isEqualTo(401);
    assertThat(http.get("/metrics", "not-a-token").status()).isEqualTo(401);
  }

  @Test
  void requestsAreCountedByRouteTemplateAndStatusNeverByConcretePath() {
    http.get("/api/v1/health", null);
    http.get("/api/v1/releases/01NOSUCHRELEASE0000000000", pipeline.adminToken);

    String text = scrape();

    assertThat(text)
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/health\",status=\"200\"} 1");
    assertThat(text).contains("route=\"/api/v1/releases/{id}\",status=\"404\"");
    assertThat(text).doesNotContain("01NOSUCHRELEASE");
  }

  @Test
  void pollCacheFleetLogDatabaseAndJvmAreReported() {
    pipeline.certifiers(1);
    assertThat(pipeline.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
    ObjectNode body = Http.object();
    body.put("controller_id", "phone-1");
    body.put("product", "acme-phone");
    Http.Response registered = http.post("/api/v1/devices", pipeline.adminToken, body);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    SimulatedDevice phone =
        new SimulatedDevice(http, "phone-1", registered.json().get("token").asText());
    phone.poll();
    phone.poll();

    String text = scrape();

    assertThat(text).contains("sluice_ddi_poll_cache_total{result=\"hit\"} 1");
    assertThat(text).contains("sluice_ddi_poll_cache_total{result=\"miss\"} 1");
    assertThat(text).contains("sluice_devices{status=\"unknown\"} 1");
    assertThat(text).contains("sluice_ddi_actions{status=\"offered\"} 0");
    assertThat(text).contains("sluice_rollouts{state=\"running\"} 0");
    assertThat(text).contains("sluice_log_size ");
    assertThat(text).contains("sluice_log_pending_entries ");
    assertThat(text).contains("sluice_db_write_wait_seconds_count");
    assertThat(text).contains("hikaricp_connections_active");
    assertThat(text).contains("jvm_memory_used_bytes");
    // No TUF root yet: no role to report, and no failure either.
    assertThat(text).contains("sluice_tuf_roles 0");
  }
}
