package dev.sluice.cli.fleet;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

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

  private static final int MAX_HEADER_LINE = 16 * 1024;

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
      // Layered over the connected socket with the server's name: SNI is sent, and the
      // certificate must name the host (the JDK checks neither for an unnamed TLS socket).
      SSLSocket socket =
          (SSLSocket)
              ((SSLSocketFactory) SSLSocketFactory.getDefault())
                  .createSocket(plain, host, port, true);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return new Connection(socket);
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
      int first = in.read();
      if (first < 0) {
        throw new IOException("the server closed the connection without an answer");
      }
      answered = true;
      String status = (char) first + line();
      if (!status.startsWith("HTTP/1.") || status.length() < 12) {
        throw new IOException("not an HTTP/1.x answer: " + status);
      }
      int code;
      try {
        code = Integer.parseInt(status.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + status, e);
      }
      boolean keepAlive = status.startsWith("HTTP/1.1");
      long length = -1;
      boolean chunked = false;
      Optional<String> retryAfter = Optional.empty();
      for (String header; !(header = line()).isEmpty(); ) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw new IOException("a malformed header line: " + header);
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> {
            try {
              length = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("a malformed Content-Length: " + value, e);
            }
          }
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> {
            String v = value.toLowerCase(Locale.ROOT);
            if (v.contains("close")) {
              keepAlive = false;
            } else if (v.contains("keep-alive")) {
              keepAlive = true;
            }
          }
          case "retry-after" -> retryAfter = Optional.of(value);
          default -> {}
        }
      }
      byte[] answer;
      if (method.equals("HEAD") || code == 204 || code == 304 || code / 100 == 1) {
        answer = new byte[0];
      } else if (chunked) {
        answer = chunkedBody();
      } else if (length >= 0) {
        answer = fixedBody(length);
      } else {
        answer = untilClosed();
        keepAlive = false;
      }
      reusable = keepAlive;
      return new Answer(code, retryAfter, answer);
    }

    private byte[] fixedBody(long length) throws IOException {
      if (length > MAX_BODY) {
        throw new IOException("an answer of " + length + " bytes, more than a DDI answer");
      }
      byte[] body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
      }
      return body;
    }

    private byte[] chunkedBody() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semicolon = size.indexOf(';');
        int n;
        try {
          n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("a malformed chunk size: " + size, e);
        }
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers, ignored
          }
          return body.toByteArray();
        }
        if (n < 0 || body.size() + (long) n > MAX_BODY) {
          throw new IOException("a chunked answer larger than a DDI answer");
        }
        byte[] chunk = in.readNBytes(n);
        if (chunk.length != n) {
          throw new IOException("the answer ended inside a chunk");
        }
        body.write(chunk);
        if (!line().isEmpty()) {
          throw new IOException("a chunk not followed by CRLF");
        }
      }
    }

    private byte[] untilClosed() throws IOException {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new IOException("an answer larger than a DDI answer");
      }
      return body;
    }

    /** A line without its CRLF. */
    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          int end = line.length();
          if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
          }
          return line.toString();
        }
        if (line.length() >= MAX_HEADER_LINE) {
          throw new IOException("a header line longer than " + MAX_HEADER_LINE + " bytes");
        }
        line.append((char) c);
      }
      throw new IOException("the connection closed inside an answer's head");
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
