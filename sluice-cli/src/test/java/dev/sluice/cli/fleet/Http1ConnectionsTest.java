package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Http1ConnectionsTest {

  @Test
  void fixedLengthAndChunkedAnswersArriveWholeOverOneKeptConnection() throws IOException {
    List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] sent = exchange.getRequestBody().readAllBytes();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(sent, StandardCharsets.UTF_8));
          byte[] body = ("{\"n\":" + clientPorts.size() + "}").getBytes(StandardCharsets.UTF_8);
          boolean chunked = exchange.getRequestURI().getPath().endsWith("chunked");
          exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (Http1Connections connections =
        new Http1Connections(base(server.getAddress().getPort()), 4, Duration.ofSeconds(5))) {
      Http1Connections.Answer first =
          connections.exchange("GET", "/t/controller/v1/a?x=1", "TargetToken abc", null);
      Http1Connections.Answer second =
          connections.exchange(
              "PUT",
              "/t/controller/v1/a/chunked",
              "TargetToken abc",
              "{\"mode\":\"merge\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(first.status()).isEqualTo(200);
      assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
      assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
      assertThat(seen)
          .containsExactly(
              "GET /t/controller/v1/a?x=1 TargetToken abc ",
              "PUT /t/controller/v1/a/chunked TargetToken abc {\"mode\":\"merge\"}");
      assertThat(clientPorts).hasSize(2).containsOnly(clientPorts.getFirst());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRefusalCarriesItsStatusAndRetryAfter() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("Retry-After", "7");
          exchange.sendResponseHeaders(429, -1);
          exchange.close();
        });
    server.start();
    try (Http1Connections connections =
        new Http1Connections(base(server.getAddress().getPort()), 4, Duration.ofSeconds(5))) {
      Http1Connections.Answer answer = connections.exchange("GET", "/", "TargetToken t", null);

      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.retryAfter()).isEqualTo(Optional.of("7"));
      assertThat(answer.body()).isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aKeptConnectionTheServerClosedWhileIdleIsReplacedWithoutLosingTheRequest() throws Exception {
    AtomicInteger connectionsAccepted = new AtomicInteger();
    java.util.concurrent.Semaphore hungUp = new java.util.concurrent.Semaphore(0);
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // Answers one request per connection while announcing keep-alive, then hangs up.
      Thread.ofVirtual()
          .start(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket socket = listener.accept()) {
                    int n = connectionsAccepted.incrementAndGet();
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    while (!in.readLine().isEmpty()) {
                      // the request's head
                    }
                    String body = "{\"connection\":" + n + "}";
                    socket
                        .getOutputStream()
                        .write(
                            ("HTTP/1.1 200 OK\r\nContent-Length: "
                                    + body.length()
                                    + "\r\n\r\n"
                                    + body)
                                .getBytes(StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    return;
                  }
                  hungUp.release();
                }
              });
      try (Http1Connections connections =
          new Http1Connections(base(listener.getLocalPort()), 4, Duration.ofSeconds(5))) {
        Http1Connections.Answer first = connections.exchange("GET", "/", "TargetToken t", null);
        // The server has hung up the kept connection.
        assertThat(hungUp.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Http1Connections.Answer second = connections.exchange("GET", "/", "TargetToken t", null);

        assertThat(new String(first.body(), StandardCharsets.UTF_8))
            .isEqualTo("{\"connection\":1}");
        assertThat(new String(second.body(), StandardCharsets.UTF_8))
            .isEqualTo("{\"connection\":2}");
      }
    }
  }

  @Test
  void aServerThatIsNotThereIsAnIoFailure() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (Http1Connections connections =
        new Http1Connections(base(port), 4, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> connections.exchange("GET", "/", "TargetToken t", null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void onlyHttpAndHttpsServersAreAccepted() {
    assertThatThrownBy(
            () -> new Http1Connections(URI.create("ftp://example.org"), 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static URI base(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }
}
