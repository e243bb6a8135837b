package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every list pages the same way over real HTTP: {@code limit}, an opaque {@code next} cursor passed
 * back as {@code after}, no item lost or repeated while items are added between pages, and a 400
 * for a cursor that is garbage or belongs to another list, and for an unknown query parameter.
 * Answers are checked against openapi.json by the test client.
 */
class ListPagingHttpTest {
  @TempDir static Path dataDir;
  static RunningServer running;
  static Http http;
  static Pipeline p;
  static final AtomicInteger added = new AtomicInteger();

  @BeforeAll
  static void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    p = running.pipeline.certifiers(1);
    for (String name : List.of("pg-b", "pg-d", "pg-f", "pg-h", "pg-j")) {
      assertThat(p.createProduct(name, 1, 1 << 20).status()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  /** The list's items (their {@code key}) page by page, {@code limit} a page, from the start. */
  private static List<String> pageThrough(
      String path, String list, Function<JsonNode, String> key, int limit, Runnable between) {
    List<String> seen = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 100; pages++) {
      String separator = path.contains("?") ? "&" : "?";
      Http.Response page =
          http.get(
              path
                  + separator
                  + "limit="
                  + limit
                  + (after == null ? "" : "&after=" + URLEncoder.encode(after, UTF8)),
              p.adminToken);
      assertThat(page.status()).as(path + ": " + page.text()).isEqualTo(200);
      page.json().get(list).forEach(item -> seen.add(key.apply(item)));
      JsonNode next = page.json().get("next");
      if (next == null) {
        return seen;
      }
      assertThat(next.asText()).as("an opaque cursor").matches("[A-Za-z0-9_-]+");
      after = next.asText();
      between.run();
    }
    throw new AssertionError(path + " never ended: " + seen);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static Function<JsonNode, String> field(String name) {
    return item -> item.get(name).asText();
  }

  private static void createProduct(String name) {
    Http.Response created = p.createProduct(name, 1, 1 << 20);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  private static void registerCertifier(String id) {
    ObjectNode body = Http.object();
    body.put("id", id);
    body.put("display_name", "Lab " + id);
    body.putArray("keys").add(SigningKey.generate(KeyScheme.ED25519).verificationKey().toTufJson());
    Http.Response created = http.post("/api/v1/certifiers", p.adminToken, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  private static void registerDevice(String controllerId) {
    ObjectNode body = Http.object();
    body.put("controller_id", controllerId);
    body.put("product", "pg-b");
    Http.Response created = http.post("/api/v1/devices", p.adminToken, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  /** The first page's {@code next} of a list that has more than one item. */
  private static String firstCursor(String path) {
    String separator = path.contains("?") ? "&" : "?";
    Http.Response page = http.get(path + separator + "limit=1", p.adminToken);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    return page.json().get("next").asText();
  }

  @Test
  void productPagesLoseAndRepeatNoneWhileProductsAreCreated() {
    List<String> before = List.of("pg-b", "pg-d", "pg-f", "pg-h", "pg-j");
    List<String> createdMeanwhile = new ArrayList<>();

    List<String> seen =
        pageThrough(
            "/api/v1/products",
            "products",
            field("name"),
            2,
            () -> {
              int n = added.incrementAndGet();
              for (String name : List.of("pg-a" + n, "pg-z" + n)) {
                createProduct(name);
                createdMeanwhile.add(name);
              }
            });

    assertThat(seen).doesNotHaveDuplicates().containsAll(before).isSorted();
    // Those named past the cursor come on a later page.
    assertThat(seen)
        .containsAll(createdMeanwhile.stream().filter(n -> n.startsWith("pg-z")).toList());
    List<String> publicly =
        pageThrough("/api/v1/public/products", "products", field("name"), 3, () -> {});
    assertThat(publicly).doesNotHaveDuplicates().containsAll(seen).isSorted();
  }

  @Test
  void certifierPagesLoseAndRepeatNoneWhileCertifiersAreRegistered() {
    for (String id : List.of("cp-b", "cp-d", "cp-f", "cp-h")) {
      registerCertifier(id);
    }

    List<String> seen =
        pageThrough(
            "/api/v1/certifiers",
            "certifiers",
            field("id"),
            2,
            () -> {
              int n = added.incrementAndGet();
              registerCertifier("cp-a" + n);
              registerCertifier("zz-" + n);
            });

    assertThat(seen)
        .doesNotHaveDuplicates()
        .containsAll(List.of("cp-b", "cp-d", "cp-f", "cp-h", "lab-1"))
        .isSorted()
        .anyMatch(id -> id.startsWith("zz-"));
    List<String> publicly =
        pageThrough("/api/v1/public/certifiers", "certifiers", field("id"), 3, () -> {});
    assertThat(publicly).doesNotHaveDuplicates().containsAll(seen).isSorted();
  }

  @Test
  void tokenPagesLoseAndRepeatNoneWhileTokensAreIssued() {
    for (int i = 0; i < 5; i++) {
      p.token("operator", "paged " + i, null);
    }
    List<String> everyBefore = pageThrough("/api/v1/tokens", "tokens", field("id"), 1000, () -> {});

    List<String> seen =
        pageThrough(
            "/api/v1/tokens",
            "tokens",
            field("id"),
            2,
            () -> p.token("operator", "meanwhile " + added.incrementAndGet(), null));

    assertThat(seen).doesNotHaveDuplicates().containsAll(everyBefore).isSorted();
    assertThat(seen).hasSizeGreaterThan(everyBefore.size());
  }

  @Test
  void auditPagesLoseAndRepeatNoneWhileEventsAreAppended() {
    List<String> everyBefore = pageThrough("/api/v1/audit", "events", field("seq"), 1000, () -> {});

    List<Long> seen =
        pageThrough(
                "/api/v1/audit",
                "events",
                field("seq"),
                7,
                () -> p.token("operator", "audited " + added.incrementAndGet(), null))
            .stream()
            .map(Long::valueOf)
            .toList();

    assertThat(seen)
        .doesNotHaveDuplicates()
        .containsAll(everyBefore.stream().map(Long::valueOf).toList())
        .isSorted();
    int total = pageThrough("/api/v1/audit", "events", field("seq"), 1000, () -> {}).size();
    Http.Response exactlyAll = http.get("/api/v1/audit?limit=" + total, p.adminToken);
    assertThat(exactlyAll.json().get("events")).hasSize(total);
    assertThat(exactlyAll.json().has("next")).as("a full last page names no next").isFalse();
    Http.Response page = http.get("/api/v1/audit?limit=1", p.adminToken);
    assertThat(page.json().get("next").asText())
        .as("the cursor is opaque, not the sequence number")
        .isNotEqualTo(page.json().get("next_after").asText());
  }

  @Test
  void devicePagesLoseAndRepeatNoneWhileDevicesAreRegistered() {
    List<String> before = List.of("d-b", "d-d", "d-f", "d-h", "d-j");
    before.forEach(ListPagingHttpTest::registerDevice);

    List<String> seen =
        pageThrough(
            "/api/v1/devices?product=pg-b",
            "devices",
            field("controller_id"),
            2,
            () -> {
              int n = added.incrementAndGet();
              registerDevice("d-a" + n);
              registerDevice("d-z" + n);
            });

    assertThat(seen)
        .doesNotHaveDuplicates()
        .containsAll(before)
        .isSorted()
        .anyMatch(id -> id.startsWith("d-z"));
  }

  @Test
  void publicReleasePagesHoldNoDraftAndLoseAndRepeatNone() {
    List<String> checked = new ArrayList<>();
    for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
      Map<String, byte[]> files = Pipeline.artifacts("pg-" + version);
      String id = p.draft("pg-d", version, Pipeline.manifest("pg-d", version, files), files);
      Http.Response check = p.check(id);
      assertThat(check.status()).as(check.text()).isEqualTo(200);
      checked.add(id);
    }
    Map<String, byte[]> files = Pipeline.artifacts("pg-draft");
    String draft = p.draft("pg-d", "2.0.0", Pipeline.manifest("pg-d", "2.0.0", files), files);

    List<String> seen =
        pageThrough("/api/v1/public/releases?product=pg-d", "releases", field("id"), 1, () -> {});

    assertThat(seen).containsExactlyElementsOf(checked.reversed()).doesNotContain(draft);
  }

  @Test
  void aCursorThatIsGarbageOrAnotherListsIsRefused() {
    registerDevice("d-cursor-1");
    registerDevice("d-cursor-2");
    p.token("operator", "cursor a", null);
    p.token("operator", "cursor b", null);
    Map<String, String> cursors =
        Map.of(
            "/api/v1/products", firstCursor("/api/v1/products"),
            "/api/v1/certifiers", firstCursor("/api/v1/certifiers"),
            "/api/v1/tokens", firstCursor("/api/v1/tokens"),
            "/api/v1/audit", firstCursor("/api/v1/audit"),
            "/api/v1/devices", firstCursor("/api/v1/devices"),
            "/api/v1/releases", firstCursor("/api/v1/releases"),
            "/api/v1/rollouts", "cm9sOjAuYQ");
    List<String> lists =
        List.of(
            "/api/v1/products",
            "/api/v1/certifiers",
            "/api/v1/tokens",
            "/api/v1/audit",
            "/api/v1/devices",
            "/api/v1/releases",
            "/api/v1/rollouts",
            "/api/v1/public/products",
            "/api/v1/public/certifiers",
            "/api/v1/public/releases");
    for (String path : lists) {
      String own = cursors.get(path.replace("/public", ""));
      List<String> refused = new ArrayList<>(List.of("nope", "%00", "120", "x".repeat(500)));
      cursors.forEach(
          (other, cursor) -> {
            if (!cursor.equals(own)) {
              refused.add(cursor);
            }
          });
      for (String bad : refused) {
        Http.Response answer =
            http.get(path + "?after=" + URLEncoder.encode(bad, UTF8), p.adminToken);
        assertThat(answer.status()).as(path + " after=" + bad).isEqualTo(400);
        assertThat(answer.text()).as(path + " after=" + bad).contains("'after' is not a cursor");
      }
      Http.Response unknown = http.get(path + "?page=2", p.adminToken);
      assertThat(unknown.status()).as(path + "?page=2").isEqualTo(400);
      assertThat(http.get(path + "?limit=1001", p.adminToken).text())
          .as(path)
          .contains("between 1 and 1000");
    }
  }
}
