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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle of the suricatta daemon, without a DDI server: it points at a port nobody listens on,
 * so SWUpdate keeps running and retrying. (The exchanges with Sluice are the DDI end-to-end tests.)
 */
class SwupdateProcessTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private SwupdateProcess.Settings settings;

  @BeforeEach
  void setUp() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    settings =
        new SwupdateProcess.Settings(
            URI.create("http://127.0.0.1:" + closedPort),
            "DEFAULT",
            "device-1",
            "token-1",
            SigningCertificate.generate(dir.resolve("signer"), "signer"),
            "board:rev1",
            dir);
  }

  @Test
  void stopEndsTheDaemonAndAllItsChildren() {
    SwupdateProcess swupdate = SwupdateProcess.start(settings);
    await().atMost(PATIENCE).until(() -> swupdate.log().contains("entering suricatta main loop"));
    ProcessHandle daemon = swupdate.handle().orElseThrow();
    List<ProcessHandle> tree = Stream.concat(Stream.of(daemon), daemon.descendants()).toList();
    assertThat(tree).hasSizeGreaterThan(1); // swupdate forks suricatta

    swupdate.stop();

    assertThat(swupdate.isRunning()).isFalse();
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void daemonPollsAsTheConfiguredDeviceAndPollsAgainWhenTriggered() throws IOException {
    // A bare DDI base resource saying "poll again in an hour": any later request is the trigger's.
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              "{\"config\":{\"polling\":{\"sleep\":\"01:00:00\"}},\"_links\":{}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    SwupdateProcess.Settings local =
        new SwupdateProcess.Settings(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            "tenant-a",
            "device-1",
            "token-1",
            settings.signer(),
            "board:rev1",
            dir);
    try (SwupdateProcess swupdate = SwupdateProcess.start(local)) {
      await().atMost(PATIENCE).until(() -> requests.size() == 1);
      assertThat(requests)
          .containsExactly("GET /tenant-a/controller/v1/device-1 TargetToken token-1");

      await().atMost(PATIENCE).until(swupdate::pollNow);

      await().atMost(PATIENCE).until(() -> requests.size() >= 2);
      assertThat(requests).allMatch(r -> r.equals(requests.get(0)));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void confirmRestartsReportingSuccess() {
    try (SwupdateProcess swupdate = SwupdateProcess.start(settings)) {
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
