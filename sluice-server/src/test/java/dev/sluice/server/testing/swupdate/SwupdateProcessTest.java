package dev.sluice.server.testing.swupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle and command line of the suricatta daemon, without Sluice: against a port nobody listens
 * on, or a bare DDI base resource that only says "poll again in an hour" and records what SWUpdate
 * sends. (The exchanges with Sluice's DDI API are the end-to-end tests.)
 */
class SwupdateProcessTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private SigningCertificate signer;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer pollServer;

  @BeforeEach
  void setUp() throws IOException {
    signer = SigningCertificate.generate(dir.resolve("signer"), "signer");
    pollServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pollServer.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + (body.isEmpty() ? "" : " " + body));
          byte[] reply =
              "{\"config\":{\"polling\":{\"sleep\":\"01:00:00\"}},\"_links\":{}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    pollServer.start();
  }

  @AfterEach
  void stopServer() {
    pollServer.stop(0);
  }

  private SwupdateProcess.Settings settings(URI server, Map<String, String> identify) {
    return new SwupdateProcess.Settings(
        server, "tenant-a", "device-1", "token-1", signer, "board:rev1", dir, identify);
  }

  private URI pollServerUri() {
    return URI.create("http://127.0.0.1:" + pollServer.getAddress().getPort());
  }

  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  @Test
  void stopEndsTheDaemonAndAllItsChildren() throws IOException {
    SwupdateProcess swupdate = SwupdateProcess.start(settings(closedPort(), Map.of()));
    await().atMost(PATIENCE).until(() -> swupdate.log().contains("entering suricatta main loop"));
    ProcessHandle daemon = swupdate.handle().orElseThrow();
    List<ProcessHandle> tree = Stream.concat(Stream.of(daemon), daemon.descendants()).toList();
    assertThat(tree).hasSizeGreaterThan(1); // swupdate forks suricatta

    swupdate.stop();

    assertThat(swupdate.isRunning()).isFalse();
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void daemonPollsAsTheConfiguredDeviceAndPollsAgainWhenTriggered() {
    try (SwupdateProcess swupdate = SwupdateProcess.start(settings(pollServerUri(), Map.of()))) {
      await().atMost(PATIENCE).until(() -> requests.size() == 1);
      assertThat(requests)
          .containsExactly("GET /tenant-a/controller/v1/device-1 TargetToken token-1");

      await().atMost(PATIENCE).until(swupdate::pollNow);

      // The server asked for the next poll in an hour: this one is the trigger's.
      await().atMost(PATIENCE).until(() -> requests.size() >= 2);
      assertThat(requests).allMatch(r -> r.equals(requests.get(0)));
    }
  }

  @Test
  void identifyAttributesAreSentAsConfigData() {
    try (SwupdateProcess swupdate =
        SwupdateProcess.start(settings(pollServerUri(), Map.of("sluice.version", "0.9.0")))) {
      await().atMost(PATIENCE).until(() -> configData().size() == 1);
      assertThat(configData().get(0))
          .startsWith("PUT /tenant-a/controller/v1/device-1/configData TargetToken token-1 ")
          .contains("\"sluice.version\": \"0.9.0\"");

      swupdate.confirm("1.0.0");

      await().atMost(PATIENCE).until(() -> configData().size() == 2);
      assertThat(configData().get(1)).contains("\"sluice.version\": \"1.0.0\"");
    }
  }

  private List<String> configData() {
    return requests.stream().filter(r -> r.startsWith("PUT ")).toList();
  }

  @Test
  void confirmRestartsReportingSuccess() throws IOException {
    try (SwupdateProcess swupdate = SwupdateProcess.start(settings(closedPort(), Map.of()))) {
      await().atMost(PATIENCE).until(() -> swupdate.log().contains("entering suricatta main loop"));
      ProcessHandle first = swupdate.handle().orElseThrow();

      swupdate.confirm();

      assertThat(first.isAlive()).isFalse();
      assertThat(swupdate.isRunning()).isTrue();
      // Without a server the report cannot be delivered: SWUpdate retries it every second (-m 1).
      await()
          .atMost(PATIENCE)
          .until(() -> swupdate.log().contains("Got state=2 from command line"));
      assertThat(swupdate.log()).contains("==== swupdate-1.log", "==== swupdate-2.log");
    }
  }
}
