package dev.sluice.server.metrics;

import dev.sluice.server.api.Authenticator;
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
  private final Authenticator auth;

  public MetricsEndpoint(ServerMetrics metrics, Authenticator auth) {
    this.metrics = metrics;
    this.auth = auth;
  }

  public void register(Router router) {
    router.get("/metrics", this::scrape);
  }

  private void scrape(Call call) throws IOException {
    auth.principal(call);
    call.bytes(200, CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
