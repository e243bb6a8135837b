package dev.sluice.server.metrics;

import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the Prometheus text exposition. It needs a bearer token of any role (fleet
 * sizes and rollout states are an operator's business, not the public's): Prometheus sends it with
 * {@code authorization: {credentials_file: …}} in its scrape configuration.
 */
public final class MetricsEndpoint {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerMetrics metrics;

  public MetricsEndpoint(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  public void register(Router router) {
    router.get("/metrics", Access.token(), this::scrape).produces("text/plain");
  }

  private void scrape(Call call) throws IOException {
    call.bytes(200, CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
