package dev.sluice.cli.fleet;

import dev.sluice.cli.client.Http1;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A pool of plain HTTP/1.1 keep-alive connections to one server, for the small JSON exchanges of
 * simulated devices (polls, feedback, attributes). The calling (virtual) thread writes the request
 * and reads the answer on a blocking socket: no selector thread, no hand-off between threads and no
 * futures per request, which is what a load generator of thousands of requests a second on two
 * cores needs. A connection is kept while the server keeps it open and is used by one request at a
 * time; one that fails is closed and not reused. Artifact downloads, which may be redirected, still
 * go through the JDK's client.
 */
final class Http1Connections implements AutoCloseable {
  /** Answers larger than this are refused: DDI JSON is a few KiB. */
  static final int MAX_BODY = 16 << 20;

  private final String host;
  private final int port;
  private final boolean tls;
  private final String hostHeader;
  private final int timeoutMillis;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  /**
   * @param server the server's base URI (http or https)
   * @param keep how many idle connections are kept at most
   * @param timeout connect and read timeout
   */
  Http1Connections(URI server, int keep, Duration timeout) {
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the server is http:// or https://, got " + server);
    }
    this.tls = scheme.equals("https");
    this.host = server.getHost();
    this.port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
    this.hostHeader = server.getPort() > 0 ? host + ":" + port : host;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    this.idle = new ArrayBlockingQueue<>(keep);
  }

  /** An answer: its status, its {@code Retry-After} header if any, and its body. */
  record Answer(int status, Optional<String> retryAfter, byte[] body) {}

  /**
   * Sends one request and reads its answer.
   *
   * @param target the request target: the path and query
   * @param body the request body, or {@code null} for none
   */
  Answer exchange(String method, String target, String authorization, byte[] body)
      throws IOException {
    Connection connection = idle.poll();
    boolean reused = connection != null;
    if (connection == null) {
      connection = open();
    }
    try {
      Answer answer;
      try {
        answer = connection.exchange(method, target, authorization, body);
      } catch (IOException e) {
        connection.close();
        if (!reused || connection.answered) {
          throw e;
        }
        // The server had closed the kept connection while it was idle, so the request never
        // reached it: send it once more, on a fresh connection.
        connection = open();
        answer = connection.exchange(method, target, authorization, body);
      }
      if (connection.reusable && !closed && idle.offer(connection)) {
        connection = null;
      }
      return answer;
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  private Connection open() throws IOException {
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(host, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      if (!tls) {
        return new Connection(plain);
      }
      return new Connection(Http1.secure(plain, host, port));
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.poll()) != null; ) {
      c.close();
    }
  }

  private final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Whether the server may still answer on this connection after the current exchange. */
    private boolean reusable;

    /** Whether the server began to answer the current request. */
    private boolean answered;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    Answer exchange(String method, String target, String authorization, byte[] body)
        throws IOException {
      answered = false;
      reusable = false;
      StringBuilder head = new StringBuilder(256);
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(hostHeader).append("\r\n");
      head.append("Authorization: ").append(authorization).append("\r\n");
      head.append("Accept: application/json\r\n");
      if (body != null) {
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      in.mark(1);
      if (in.read() < 0) {
        throw new IOException("the server closed the connection without an answer");
      }
      answered = true;
      in.reset();
      Http1.Answer answer = Http1.read(in, method.equals("HEAD"), MAX_BODY);
      reusable = answer.keepAlive();
      return new Answer(answer.status(), answer.retryAfter(), answer.body());
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }
}
