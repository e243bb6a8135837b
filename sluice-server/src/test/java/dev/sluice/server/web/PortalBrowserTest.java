package dev.sluice.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RequiredTool;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.server.testing.Tuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal and the console in real headless Chromium ({@code src/test/e2e/portal.spec.mjs},
 * playwright-core): a server with a published release that adds a capability, a blocked release
 * with a status note, and devices that answer over DDI while the browser creates a rollout, watches
 * it progress and halt. Skipped when Chromium, node or the e2e packages are missing, unless in CI
 * ({@code CI} set or {@code SLUICE_BROWSER_REQUIRED=true}), where it fails instead.
 */
class PortalBrowserTest {
  private static final Path E2E = Path.of("src/test/e2e");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String BROWSER_REQUIRED = "SLUICE_BROWSER_REQUIRED";
  private static final String PRODUCT = "acme-phone";

  @TempDir Path dataDir;

  @Test
  void portalAndConsoleWorkInARealBrowser() throws Exception {
    requireBrowser();
    try (RunningServer running = new RunningServer(dataDir)) {
      Pipeline p = running.pipeline.certifiers(2);
      Http http = p.http;
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      Tuf.init(p, Tuf.rootKeys(3));
      String first = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("one"));
      assertThat(Tuf.publish(p, first).status()).isEqualTo(200);
      String second = certifiedWithEndpoint(p, "1.1.0");
      assertThat(Tuf.publish(p, second).status()).isEqualTo(200);
      Map<String, byte[]> files = Pipeline.artifacts("three");
      String blocked =
          p.draft(PRODUCT, "1.2.0", Pipeline.breakingManifest(PRODUCT, "1.2.0", files), files);
      assertThat(p.check(blocked).json().get("state").asText()).isEqualTo("blocked");
      ObjectNode note = Http.object();
      note.put("text", "Held back until the update client stops calling an undeclared server.");
      note.put("target_date", "2027-01-15");
      Http.Response noted =
          http.put(
              "/api/v1/releases/" + blocked + "/status-note",
              p.adminToken,
              note.toString().getBytes(StandardCharsets.UTF_8),
              Map.of("Content-Type", "application/json"));
      assertThat(noted.status()).as(noted.text()).isEqualTo(200);

      String operator = p.token("operator", "ops", null);
      List<SimulatedDevice> devices = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ObjectNode body = Http.object();
        body.put("controller_id", "phone-" + i);
        body.put("product", PRODUCT);
        body.putArray("tags").add("beta");
        Http.Response r = http.post("/api/v1/devices", operator, body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        devices.add(new SimulatedDevice(http, "phone-" + i, r.json().get("token").asText()));
      }

      // The simulated devices poll every 300 ms, as DDI devices poll at the interval the server
      // gives them (a poll interval, not a wait for anything: the browser script waits for what
      // it expects to see); the browser watches the rollout meanwhile.
      ScheduledExecutorService fleet = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger answered = new AtomicInteger();
      fleet.scheduleWithFixedDelay(
          () -> fleetRound(running, devices, answered), 0, 300, TimeUnit.MILLISECONDS);
      try {
        Path shots = Path.of("target/e2e-screenshots");
        Files.createDirectories(shots);
        ProcessBuilder node =
            new ProcessBuilder("node", "portal.spec.mjs")
                .directory(E2E.toFile())
                .redirectErrorStream(true);
        node.environment().put("SLUICE_URL", running.server.baseUri().toString());
        node.environment().put("SLUICE_TOKEN", operator);
        node.environment().put("PUBLISHED_RELEASE", second);
        node.environment().put("BLOCKED_RELEASE", blocked);
        node.environment().put("SCREENSHOTS", shots.toAbsolutePath().toString());
        Process process = node.start();
        String output;
        try (var in = process.getInputStream()) {
          output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
          process.destroyForcibly();
        }
        System.out.println(output);
        assertThat(finished).as("the browser script finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("all browser checks passed");
      } finally {
        fleet.shutdownNow();
        assertThat(fleet.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      }
    }
  }

  /** One poll of every device: the first two offers succeed, every later one fails. */
  private static void fleetRound(
      RunningServer running, List<SimulatedDevice> devices, AtomicInteger answered) {
    try {
      for (SimulatedDevice d : devices) {
        var action = d.offeredAction();
        if (action.isPresent()) {
          d.fetch(action.get());
          d.feedback(
              action.get(), "closed", answered.getAndIncrement() < 2 ? "success" : "failure");
        }
      }
      running.server.rollouts().runOnce();
    } catch (AssertionError | RuntimeException e) {
      // A refused poll (e.g. rate-limited) is retried on the next round, as a device would.
      System.err.println("simulated fleet: " + e.getMessage());
    }
  }

  /** A certified release whose update client gains a declared network endpoint. */
  private static String certifiedWithEndpoint(Pipeline p, String version) {
    Map<String, byte[]> files = Pipeline.artifacts("two");
    ObjectNode manifest =
        ExampleManifests.valid(
            PRODUCT, dev.sluice.core.release.Version.parse(version), Pipeline.declared(files));
    String component = manifest.get("components").get(0).get("name").asText();
    ObjectNode capability = Http.object();
    capability.put("component", component);
    capability.put("kind", "network_endpoint");
    capability.put("value", "maps.example.org:443");
    capability.put("justification", "Downloads offline map updates chosen by the owner.");
    ((ArrayNode) manifest.get("capabilities")).add(capability);
    ObjectNode changes = (ObjectNode) manifest.get("changes");
    changes.putArray("capabilities_added").add(capability.deepCopy());
    String id =
        p.draft(PRODUCT, version, manifest.toString().getBytes(StandardCharsets.UTF_8), files);
    Http.Response checked = p.check(id);
    assertThat(checked.json().get("state").asText()).as(checked.text()).isEqualTo("checked");
    assertThat(p.approve(id, "lab-1").status()).isEqualTo(201);
    assertThat(p.approve(id, "lab-2").status()).isEqualTo(201);
    return id;
  }

  private static void requireBrowser() {
    RequiredTool.at(List.of(CHROMIUM), "chromium", BROWSER_REQUIRED);
    RequiredTool.onPath("node", "nodejs", BROWSER_REQUIRED);
    if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
      RequiredTool.unavailable(
          "the browser tests need playwright-core (npm ci in " + E2E + ")", BROWSER_REQUIRED);
    }
  }
}
