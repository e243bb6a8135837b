package dev.sluice.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.rollout.GateCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook call's bounds, against a real HTTP server on loopback. */
class HttpGateCheckTest {
  private final CountDownLatch released = new CountDownLatch(1);
  private HttpServer webhook;

  @BeforeEach
  void start() throws IOException {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    webhook.createContext(
        "/drip",
        exchange -> {
          // Headers at once, then one byte of the body and nothing more until the test ends.
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write('o');
            out.flush();
            released.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // the client gave up, as it should
          }
        });
    webhook.createContext(
        "/ok",
        exchange -> {
          byte[] body = "approved".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    webhook.start();
  }

  @AfterEach
  void stop() {
    released.countDown();
    webhook.stop(0);
  }

  @Test
  void aWebhookThatDripsItsReplyIsCutOffAtTheLongestCallAndRefuses() {
    HttpGateCheck gates = gates(Duration.ofMillis(300), Duration.ofMillis(700));

    long start = System.nanoTime();
    GateCheck.Reply reply = gates.ask(url("/drip"), JsonNodeFactory.instance.objectNode());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(reply.approved()).isFalse();
    assertThat(reply.summary()).isEqualTo("the webhook did not answer within 1000 ms");
    assertThat(gates.longestCall()).isEqualTo(Duration.ofSeconds(1));
    // Bounded, not timed: far below the 30 s the server would otherwise hold the call.
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aPromptReplyApprovesWithItsStatusAndExcerpt() {
    GateCheck.Reply reply =
        gates(Duration.ofSeconds(5), Duration.ofSeconds(10))
            .ask(url("/ok"), JsonNodeFactory.instance.objectNode());

    assertThat(reply.approved()).isTrue();
    assertThat(reply.summary())
        .startsWith("HTTP 200, reply sha256:")
        .endsWith("(8 bytes): approved");
  }

  @Test
  void theLongestCallOfTheServersGateIsItsConnectAndResponseTimeouts() {
    assertThat(new HttpGateCheck(new WebhookHosts(Set.of("127.0.0.1"))).longestCall())
        .isEqualTo(HttpGateCheck.CONNECT_TIMEOUT.plus(HttpGateCheck.RESPONSE_TIMEOUT));
  }

  private static HttpGateCheck gates(Duration connect, Duration response) {
    return new HttpGateCheck(new WebhookHosts(Set.of("127.0.0.1")), connect, response);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + path);
  }
}
