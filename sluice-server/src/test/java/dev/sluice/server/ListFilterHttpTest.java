package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code filter} (RSQL) and {@code sort} on the release, rollout and audit lists over real HTTP:
 * whitelisted fields, bound values, 400 problems naming what is wrong, and cursors that page in the
 * chosen order. Answers are checked against openapi.json by the test client.
 */
class ListFilterHttpTest {
  @TempDir static Path dataDir;
  static RunningServer running;
  static Http http;
  static Pipeline p;
  static final List<String> phoneReleases = new ArrayList<>();
  static String tabletRelease;

  @BeforeAll
  static void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    p = running.pipeline.certifiers(1);
    assertThat(p.createProduct("flt-phone", 1, 1 << 20).status()).isEqualTo(201);
    assertThat(p.createProduct("flt-tablet", 1, 1 << 20).status()).isEqualTo(201);
    for (String version : List.of("1.0.0", "1.1.0", "2.0.0")) {
      Map<String, byte[]> files = Pipeline.artifacts("flt-" + version);
      phoneReleases.add(
          p.draft("flt-phone", version, Pipeline.manifest("flt-phone", version, files), files));
    }
    Map<String, byte[]> files = Pipeline.artifacts("flt-tablet");
    tabletRelease =
        p.draft("flt-tablet", "1.0.0", Pipeline.manifest("flt-tablet", "1.0.0", files), files);
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  private static Http.Response get(String path, String... parameters) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < parameters.length; i += 2) {
      query
          .append(query.isEmpty() ? "?" : "&")
          .append(parameters[i])
          .append('=')
          .append(URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
    }
    return http.get(path + query, p.adminToken);
  }

  private static List<String> ids(Http.Response r, String list) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return Pipeline.names(r.json().get(list), "id");
  }

  @Test
  void releasesAreFilteredByProductVersionAndStateAndSortedByCreation() {
    assertThat(
            ids(
                get(
                    "/api/v1/releases",
                    "filter",
                    "product==flt-phone;version==1.*",
                    "sort",
                    "created"),
                "releases"))
        .containsExactly(phoneReleases.get(0), phoneReleases.get(1));
    assertThat(
            ids(get("/api/v1/releases", "filter", "product==flt-*,state==published"), "releases"))
        .containsExactly(
            tabletRelease, phoneReleases.get(2), phoneReleases.get(1), phoneReleases.get(0));
    assertThat(
            ids(
                get(
                    "/api/v1/releases",
                    "filter",
                    "product=out=(flt-phone);created=ge=2000-01-01T00:00:00Z"),
                "releases"))
        .contains(tabletRelease)
        .doesNotContainAnyElementsOf(phoneReleases);
  }

  @Test
  void releaseCursorsPageInTheChosenOrderWithTheFilter() {
    for (String sort : List.of("created", "-created")) {
      List<String> seen = new ArrayList<>();
      String after = null;
      do {
        Http.Response page =
            after == null
                ? get(
                    "/api/v1/releases", "filter", "product==flt-phone", "sort", sort, "limit", "2")
                : get(
                    "/api/v1/releases",
                    "filter",
                    "product==flt-phone",
                    "sort",
                    sort,
                    "limit",
                    "2",
                    "after",
                    after);
        seen.addAll(ids(page, "releases"));
        JsonNode next = page.json().get("next");
        after = next == null ? null : next.asText();
      } while (after != null);
      List<String> expected = sort.equals("created") ? phoneReleases : phoneReleases.reversed();
      assertThat(seen).as(sort).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void theAuditTrailFiltersByActionAndPagesNewestFirst() {
    List<Long> all = new ArrayList<>();
    for (JsonNode event :
        get("/api/v1/audit", "filter", "type==release.*", "limit", "1000").json().get("events")) {
      assertThat(event.get("action").asText()).startsWith("release.");
      all.add(event.get("seq").asLong());
    }
    assertThat(all).hasSizeGreaterThanOrEqualTo(4).isSorted();

    List<Long> newestFirst = new ArrayList<>();
    String after = null;
    do {
      Http.Response page =
          after == null
              ? get("/api/v1/audit", "filter", "action==release.*", "sort", "-at", "limit", "3")
              : get(
                  "/api/v1/audit",
                  "filter",
                  "action==release.*",
                  "sort",
                  "-at",
                  "limit",
                  "3",
                  "after",
                  after);
      assertThat(page.status()).as(page.text()).isEqualTo(200);
      page.json().get("events").forEach(e -> newestFirst.add(e.get("seq").asLong()));
      JsonNode next = page.json().get("next");
      after = next == null ? null : next.asText();
    } while (after != null);
    assertThat(newestFirst).containsExactlyElementsOf(all.reversed());
    assertThat(
            get("/api/v1/audit", "filter", "at=lt=2000-01-01T00:00:00Z,actor==nobody")
                .json()
                .get("events"))
        .isEmpty();
  }

  @Test
  void rolloutsAcceptFilterAndSortOverTheirFields() {
    Http.Response r =
        get(
            "/api/v1/rollouts",
            "filter",
            "product==flt-*;state=in=(created,running);release==" + tabletRelease,
            "sort",
            "created");
    assertThat(ids(r, "rollouts")).isEmpty();
    assertThat(get("/api/v1/rollouts", "filter", "version==1.0.0").status()).isEqualTo(400);
  }

  @Test
  void aBadFilterOrSortIsA400NamingTheFieldOrOperator() {
    assertProblem(
        get("/api/v1/releases", "filter", "owner==me"),
        "filter",
        "unknown field 'owner'",
        "product, state, version, created");
    assertProblem(get("/api/v1/releases", "filter", "created=in=(x)"), "filter", "=in=", "created");
    assertProblem(
        get("/api/v1/releases", "filter", "state==shipped"),
        "filter",
        "state is one of",
        "shipped");
    assertProblem(get("/api/v1/releases", "filter", "created=lt=yesterday"), "filter", "ISO-8601");
    assertProblem(get("/api/v1/rollouts", "filter", "state=="), "filter", "expected a value");
    assertProblem(
        get("/api/v1/audit", "filter", "detail==x"),
        "filter",
        "unknown field 'detail'",
        "actor, action, subject, at");
    assertProblem(get("/api/v1/audit", "filter", "at=gt=(1,2)"), "filter", "position");
    assertProblem(get("/api/v1/releases", "sort", "version"), "sort", "created", "-created");
    assertProblem(get("/api/v1/rollouts", "sort", "-state"), "sort", "created");
    assertProblem(get("/api/v1/audit", "sort", "seq"), "sort", "-at");
  }

  @Test
  void sqlInAFilterIsRefusedOrMatchesNothing() {
    assertProblem(get("/api/v1/releases", "filter", "state=='x' OR 1=1"), "filter", "position");
    assertProblem(
        get("/api/v1/releases", "filter", "state==draft; DROP TABLE releases"),
        "filter",
        "position");
    assertThat(ids(get("/api/v1/releases", "filter", "version==\"1.0.0' OR '1'='1\""), "releases"))
        .isEmpty();
    assertThat(ids(get("/api/v1/releases", "filter", "product==\"%\""), "releases")).isEmpty();
    assertThat(get("/api/v1/audit", "filter", "subject==\"x') OR 1=1 --\"").json().get("events"))
        .isEmpty();
    // The table is still there and whole.
    assertThat(ids(get("/api/v1/releases", "filter", "product==flt-phone"), "releases")).hasSize(3);
  }

  private static void assertProblem(Http.Response r, String parameter, String... mentions) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    JsonNode problem = r.json();
    assertThat(problem.get("detail").asText()).contains(mentions);
    assertThat(problem.get("violations").get(0).get("location").asText()).contains(parameter);
  }
}
