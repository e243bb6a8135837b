package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import java.util.HashMap;
import java.util.Map;

/** The states of a product's releases as the management API lists them. */
final class ReleaseStates {
  private ReleaseStates() {}

  /** Release id to state ({@code certified}, {@code published}, ...) of up to 500 releases. */
  static Map<String, String> of(Http http, String token, String product) {
    Http.Response list = http.get("/api/v1/releases?product=" + product + "&limit=500", token);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    Map<String, String> states = new HashMap<>();
    list.json()
        .get("releases")
        .forEach(r -> states.put(r.get("id").asText(), r.get("state").asText()));
    return states;
  }
}
