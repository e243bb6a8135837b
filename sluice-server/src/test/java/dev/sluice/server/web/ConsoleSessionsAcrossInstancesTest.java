package dev.sluice.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.KeyPassphrase;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, each with its own data directory and only the
 * passphrase in common (skipped unless SLUICE_TEST_PG_URL is set; required in CI): they use the
 * same online keys, and a console session started on one is served by the other, until signing out
 * on either ends it on both.
 */
class ConsoleSessionsAcrossInstancesTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path dataA;
  @TempDir Path dataB;
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void aSessionStartedOnOneInstanceIsServedAndEndedByAnother() throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RunningServer a = new RunningServer(dataA, Optional.of(db.jdbcUrl()));
        SluiceServer b =
            SluiceServer.start(
                ServerConfig.builder(dataB)
                    .port(0)
                    .databaseUrl(Optional.of(db.jdbcUrl()))
                    .keyPassphrase(
                        KeyPassphrase.fromEnvironment(
                            Map.of(KeyPassphrase.ENV, RunningServer.TEST_PASSPHRASE)))
                    .build())) {
      URI onA = a.server.baseUri();
      URI onB = b.baseUri();
      assertThat(get(onB, "/log/v1/key", null).body())
          .as("one log key for both instances")
          .isEqualTo(get(onA, "/log/v1/key", null).body());

      String session = login(onA, a.pipeline.adminToken);

      HttpResponse<String> pageOnB = get(onB, "/console/releases", session);
      assertThat(pageOnB.statusCode()).as("signed in on B with A's cookie").isEqualTo(200);
      assertThat(get(onB, "/console/api/v1/releases", session).statusCode()).isEqualTo(200);
      assertThat(get(onA, "/console/releases", session).statusCode()).isEqualTo(200);

      HttpResponse<String> logout = logout(onB, session, csrf(pageOnB.body()));
      assertThat(logout.statusCode()).isEqualTo(303);
      assertThat(logout.headers().firstValue("Location")).hasValue("/console/login");

      HttpResponse<String> pageOnA = get(onA, "/console/releases", session);
      assertThat(pageOnA.statusCode()).as("A refuses the cookie B signed out").isEqualTo(303);
      assertThat(pageOnA.headers().firstValue("Location")).hasValue("/console/login");
      assertThat(get(onA, "/console/api/v1/releases", session).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aCookieThatIsNoSessionIsRefusedByEveryInstance() throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RunningServer a = new RunningServer(dataA, Optional.of(db.jdbcUrl()))) {
      URI onA = a.server.baseUri();
      String forged = "A".repeat(43);

      assertThat(get(onA, "/console/releases", forged).statusCode()).isEqualTo(303);
      assertThat(get(onA, "/console/api/v1/releases", forged).statusCode()).isEqualTo(401);
      assertThat(get(onA, "/console/api/v1/releases", "short' OR 1=1 --").statusCode())
          .isEqualTo(401);
    }
  }

  private HttpResponse<String> get(URI base, String path, String session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    if (session != null) {
      request.header("Cookie", ConsoleProxy.COOKIE + "=" + session);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String login(URI base, String token) throws Exception {
    HttpResponse<String> form = get(base, "/console/login", null);
    String csrf = csrf(form.body());
    HttpResponse<String> signedIn =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", ConsoleProxy.LOGIN_COOKIE + "=" + csrf)
                .POST(HttpRequest.BodyPublishers.ofString(form(csrf) + "&token=" + enc(token)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    String cookie =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(ConsoleProxy.COOKIE + "="))
            .findFirst()
            .orElseThrow();
    return cookie.substring(ConsoleProxy.COOKIE.length() + 1, cookie.indexOf(';'));
  }

  private HttpResponse<String> logout(URI base, String session, String csrf) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve("/console/logout"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", ConsoleProxy.COOKIE + "=" + session)
            .POST(HttpRequest.BodyPublishers.ofString(form(csrf)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String csrf(String page) {
    Matcher m = CSRF.matcher(page);
    assertThat(m.find()).as("the page carries a CSRF token").isTrue();
    return m.group(1);
  }

  private static String form(String csrf) {
    return "csrf=" + enc(csrf);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
