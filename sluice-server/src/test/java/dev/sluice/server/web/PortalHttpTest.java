package dev.sluice.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal and console over plain HTTP (no browser): status notes through the API, caching and
 * security headers of public pages, and the console's refusals without a session or CSRF token. One
 * server serves every test (each leaves the draft release a draft).
 */
class PortalHttpTest {
  @TempDir static Path dataDir;
  private static RunningServer running;
  private static Pipeline p;
  private static String draft;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
    var files = Pipeline.artifacts("a");
    draft = p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
    ObjectNode device = Http.object();
    device.put("controller_id", "secret-device-42");
    device.put("product", "acme-phone");
    assertThat(p.http.post("/api/v1/devices", p.adminToken, device).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  private Http.Response note(String token, String json) {
    return p.http.put(
        "/api/v1/releases/" + draft + "/status-note",
        token,
        json.getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Type", "application/json"));
  }

  @Test
  void statusNoteIsShownOnThePortalAndAudited() {
    Http.Response set =
        note(p.adminToken, "{\"text\":\"Waiting for lab-2.\",\"target_date\":\"2027-02-01\"}");
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.json().get("target_date").asText()).isEqualTo("2027-02-01");
    String page = p.http.get("/releases/" + draft, null).text();
    assertThat(page).contains("Waiting for lab-2.").contains("Expected by 2027-02-01");
    String trail = p.http.get("/api/v1/audit?subject=release/" + draft, p.adminToken).text();
    assertThat(trail).contains("release.status-noted");
  }

  @Test
  void badStatusNotesAreRefusedNamingTheField() {
    Http.Response badDate = note(p.adminToken, "{\"text\":\"x\",\"target_date\":\"next week\"}");
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.text()).contains("target_date");
    Http.Response empty = note(p.adminToken, "{\"text\":\"   \"}");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.text()).contains("text");
    Http.Response unknown = note(p.adminToken, "{\"text\":\"x\",\"colour\":\"red\"}");
    assertThat(unknown.status()).isEqualTo(400);
    String operator = p.token("operator", "ops", null);
    assertThat(note(operator, "{\"text\":\"x\"}").status()).isEqualTo(403);
    Http.Response missing =
        p.http.put(
            "/api/v1/releases/rel_nope/status-note",
            p.adminToken,
            "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void publicPagesAreCacheableWithAnEtagAndNeverShowDevices() {
    Http.Response first = p.http.get("/", null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Cache-Control")).contains("public");
    assertThat(first.header("Content-Security-Policy")).contains("script-src 'self'");
    String etag = first.header("ETag");
    assertThat(etag).isNotBlank();
    assertThat(p.http.get("/", null, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
    for (String path : new String[] {"/", "/releases/" + draft, "/log", "/certifiers"}) {
      Http.Response page = p.http.get(path, null);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.text()).as(path).doesNotContain("secret-device-42");
    }
    assertThat(p.http.get("/feeds/acme-phone.atom", null).text()).contains("<feed");
    assertThat(p.http.get("/feeds/nope.atom", null).status()).isEqualTo(404);
  }

  @Test
  void consoleRefusesWithoutSessionOrCsrfToken() throws Exception {
    URI base = running.server.baseUri();
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/rollouts")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/console/login");
    HttpResponse<String> api =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/api/v1/releases/" + draft + "/check"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Cookie", "sluice_session=forged")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);

    String session = login(base);
    HttpResponse<String> noCsrf =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/api/v1/releases/" + draft + "/check"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Cookie", "sluice_session=" + session)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(p.release(draft).get("state").asText()).isEqualTo("draft");
    HttpResponse<String> read =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/api/v1/releases/" + draft))
                .header("Cookie", "sluice_session=" + session)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
  }

  @Test
  void loginWithABadTokenIsRefused() throws Exception {
    URI base = running.server.baseUri();
    String csrf = loginCsrf(base);
    HttpResponse<String> refused = postLogin(base, csrf, "sk_not-a-real-token");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("sluice_session=") && !c.startsWith("sluice_session=;"));
    HttpResponse<String> noCsrf = postLogin(base, "wrong", p.adminToken);
    assertThat(noCsrf.statusCode()).isEqualTo(403);
  }

  private String loginCsrf(URI base) throws Exception {
    HttpResponse<String> form =
        client.send(
            HttpRequest.newBuilder(base.resolve("/console/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    return cookie.substring("sluice_login=".length(), cookie.indexOf(';'));
  }

  private HttpResponse<String> postLogin(URI base, String csrf, String token) throws Exception {
    String form =
        "csrf="
            + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8)
            + "&token="
            + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
    return client.send(
        HttpRequest.newBuilder(base.resolve("/console/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", "sluice_login=" + loginCsrfCookieValue(csrf))
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String loginCsrfCookieValue(String csrf) {
    return csrf.equals("wrong") ? "something-else" : csrf;
  }

  private String login(URI base) throws Exception {
    String csrf = loginCsrf(base);
    HttpResponse<String> ok = postLogin(base, csrf, p.adminToken);
    assertThat(ok.statusCode()).isEqualTo(303);
    String cookie =
        ok.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("sluice_session="))
            .findFirst()
            .orElseThrow();
    return cookie.substring("sluice_session=".length(), cookie.indexOf(';'));
  }
}
