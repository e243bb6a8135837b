package dev.sluice.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The two halves of HTTP/1.1 that the CLI's blocking clients (an upload's own connection, the fleet
 * simulator's kept connections) speak by hand: TLS over a connected socket, and reading one answer.
 * The JDK's {@code HttpClient} carries everything else.
 */
public final class Http1 {
  private static final int MAX_HEADER_LINE = 16 * 1024;

  private Http1() {}

  /**
   * One answer: its status, whether the server keeps the connection open after it, its {@code
   * Retry-After} header if any, and its body.
   */
  public record Answer(int status, boolean keepAlive, Optional<String> retryAfter, byte[] body) {}

  /**
   * TLS over {@code plain}, already connected to {@code host}: with the JVM's default trust, the
   * host sent as the server name (SNI) and checked against the certificate, as the JDK's client
   * does. The handshake is done before this returns; closing the result closes {@code plain}.
   */
  public static SSLSocket secure(Socket plain, String host, int port) throws IOException {
    SSLSocket socket;
    try {
      socket =
          (SSLSocket)
              SSLContext.getDefault().getSocketFactory().createSocket(plain, host, port, true);
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("the JVM has no default TLS context", e);
    }
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /**
   * Reads one answer from {@code in}: the status line, the headers and the body, skipping interim
   * (1xx) answers.
   *
   * @param bodiless whether the answer has no body whatever its headers say (a {@code HEAD})
   * @param maxBody the largest body accepted; a larger one is an error, not read further
   */
  public static Answer read(InputStream in, boolean bodiless, int maxBody) throws IOException {
    while (true) {
      Answer answer = readOne(in, bodiless, maxBody);
      if (answer.status() / 100 != 1) {
        return answer;
      }
    }
  }

  /**
   * Reads the next answer from {@code in}, interim (1xx, without a body) or final: what a client
   * that sent {@code Expect: 100-continue} waits for before it sends the body.
   */
  public static Answer readOne(InputStream in, boolean bodiless, int maxBody) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x answer: " + abbreviate(status));
    }
    int code;
    try {
      code = Integer.parseInt(status.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + abbreviate(status), e);
    }
    boolean keepAlive = status.startsWith("HTTP/1.1");
    long length = -1;
    boolean chunked = false;
    Optional<String> retryAfter = Optional.empty();
    for (String header; !(header = line(in)).isEmpty(); ) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IOException("a malformed header line: " + abbreviate(header));
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("a malformed Content-Length: " + abbreviate(value), e);
          }
          if (length < 0) {
            throw new IOException("a negative Content-Length: " + length);
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
    byte[] body;
    if (code / 100 == 1 || bodiless || code == 204 || code == 304) {
      body = new byte[0];
    } else if (chunked) {
      body = chunked(in, maxBody);
    } else if (length >= 0) {
      body = fixed(in, length, maxBody);
    } else {
      body = untilClosed(in, maxBody);
      keepAlive = false;
    }
    return new Answer(code, keepAlive, retryAfter, body);
  }

  private static byte[] fixed(InputStream in, long length, int maxBody) throws IOException {
    if (length > maxBody) {
      throw new IOException("an answer of " + length + " bytes, more than " + maxBody);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] untilClosed(InputStream in, int maxBody) throws IOException {
    byte[] body = in.readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      throw new IOException("an answer of more than " + maxBody + " bytes");
    }
    return body;
  }

  private static byte[] chunked(InputStream in, int maxBody) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int semicolon = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("a malformed chunk size: " + abbreviate(size), e);
      }
      if (n == 0) {
        while (!line(in).isEmpty()) {
          // trailers, ignored
        }
        return body.toByteArray();
      }
      if (n < 0 || body.size() + (long) n > maxBody) {
        throw new IOException("a chunked answer of more than " + maxBody + " bytes");
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n) {
        throw new IOException("the answer ended inside a chunk");
      }
      body.write(chunk);
      if (!line(in).isEmpty()) {
        throw new IOException("a chunk not followed by CRLF");
      }
    }
  }

  /** A line without its CRLF. */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c; (c = in.read()) >= 0; ) {
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
    throw new EOFException("the server closed the connection without a complete answer");
  }

  private static String abbreviate(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }
}
