package dev.sluice.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One {@code PUT} of a file on a blocking HTTP/1.1 connection of its own: the calling thread reads
 * the file in 1 MiB chunks, hashes each chunk and writes it to the socket, then reads the answer.
 * The JDK's {@code HttpClient} moves a request body through its reactive publisher and socket tube
 * in 16 KiB buffers, which costs about as much CPU as hashing the bytes (BENCHMARKS.md, "Upload");
 * this does not. It connects to the server directly, over TLS for {@code https} with the JVM's
 * default trust and host name verification, as the JDK client does; {@link #direct(URI)} tells
 * whether a proxy is configured for the server, in which case the JDK client is used instead.
 *
 * <p>A server that refuses the upload while the body is still being sent (a declared length over
 * the limit) may answer and close the connection: the write then fails, and the answer already
 * received is read and returned rather than the write's error.
 */
final class FileUpload {
  static final int CHUNK = 1 << 20;

  /** An upload's answer is an artifact's JSON or a problem document: a few hundred bytes. */
  static final int MAX_ANSWER = 1 << 20;

  private static final int MAX_HEADER_LINE = 16 * 1024;

  /** How long an answer already sent is waited for after the body's write failed. */
  private static final int ANSWER_AFTER_FAILURE_MILLIS = 5_000;

  private FileUpload() {}

  /** The server's answer: its status and body. */
  record Answer(int status, byte[] body) {}

  /** Connecting failed: the server is not there (refused, unresolved, timed out). */
  static final class ConnectFailed extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectFailed(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Whether requests to {@code uri} go straight to the server (no proxy selected for it). */
  static boolean direct(URI uri) {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return true;
    }
    List<Proxy> proxies = selector.select(uri);
    return proxies == null
        || proxies.isEmpty()
        || proxies.stream().allMatch(p -> p.type() == Proxy.Type.DIRECT);
  }

  /**
   * Sends {@code file} as the body of {@code PUT url} with {@code headers} (and {@code Host},
   * {@code Content-Length}), reporting each chunk written to {@code sent} and feeding it to {@code
   * digest} (if not null), and returns the server's answer, whatever its status.
   *
   * @throws ConnectFailed if no connection to the server could be made
   * @throws IOException if the exchange failed after that, or the file could not be read whole
   */
  static Answer put(
      URI url,
      Map<String, String> headers,
      Path file,
      LongConsumer sent,
      MessageDigest digest,
      Duration connectTimeout,
      Duration answerTimeout)
      throws IOException {
    String head = head(url, headers);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        Socket socket = connect(url, connectTimeout)) {
      long length = in.size();
      OutputStream out = socket.getOutputStream();
      InputStream answer = new BufferedInputStream(socket.getInputStream(), 8192);
      try {
        out.write(
            (head + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        sendBody(in, length, out, sent, digest);
        out.flush();
      } catch (IOException sending) {
        // A server that refused the body may have answered before it closed the connection.
        try {
          socket.setSoTimeout(ANSWER_AFTER_FAILURE_MILLIS);
          return read(answer);
        } catch (IOException | RuntimeException noAnswer) {
          sending.addSuppressed(noAnswer);
          throw sending;
        }
      }
      socket.setSoTimeout(Math.toIntExact(answerTimeout.toMillis()));
      return read(answer);
    }
  }

  private static void sendBody(
      FileChannel in, long length, OutputStream out, LongConsumer sent, MessageDigest digest)
      throws IOException {
    byte[] buffer = new byte[CHUNK];
    ByteBuffer chunk = ByteBuffer.wrap(buffer);
    for (long done = 0; done < length; ) {
      chunk.clear().limit((int) Math.min(CHUNK, length - done));
      while (chunk.hasRemaining()) {
        if (in.read(chunk) < 0) {
          throw new EOFException(
              "the file ended after " + (done + chunk.position()) + " of " + length + " bytes");
        }
      }
      int n = chunk.position();
      if (digest != null) {
        digest.update(buffer, 0, n);
      }
      out.write(buffer, 0, n);
      done += n;
      sent.accept(n);
    }
  }

  /** The request line and headers, without {@code Content-Length} and the blank line. */
  private static String head(URI url, Map<String, String> headers) {
    String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    StringBuilder head = new StringBuilder(512);
    head.append("PUT ").append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(url.getHost());
    if (url.getPort() > 0) {
      head.append(':').append(url.getPort());
    }
    head.append("\r\n");
    headers.forEach(
        (name, value) -> {
          if (!token(name) || !fieldValue(value)) {
            throw new IllegalArgumentException("a header cannot carry " + name + "'s value");
          }
          head.append(name).append(": ").append(value).append("\r\n");
        });
    // One request per connection: the answer ends where the connection does, at the latest.
    head.append("Connection: close\r\n");
    return head.toString();
  }

  private static boolean token(String name) {
    return !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':');
  }

  /** Visible ASCII, spaces and tabs: what a header can carry without being split or injected. */
  private static boolean fieldValue(String value) {
    return value.chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '\t');
  }

  private static Socket connect(URI url, Duration timeout) throws IOException {
    boolean tls = url.getScheme().equalsIgnoreCase("https");
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    Socket plain = new Socket();
    try {
      try {
        plain.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      } catch (java.net.ConnectException | SocketTimeoutException | UnknownHostException e) {
        throw new ConnectFailed(e);
      }
      if (!tls) {
        return plain;
      }
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
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Reads one answer: the status line, the headers, the body (skipping interim 1xx answers). */
  static Answer read(InputStream in) throws IOException {
    while (true) {
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
      long length = -1;
      boolean chunked = false;
      for (String header; !(header = line(in)).isEmpty(); ) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw new IOException("a malformed header line: " + abbreviate(header));
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("a malformed Content-Length: " + abbreviate(value), e);
          }
        } else if (name.equals("transfer-encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        }
      }
      if (code / 100 == 1) {
        continue; // 100 Continue and the like: the final answer follows
      }
      if (code == 204 || code == 304) {
        return new Answer(code, new byte[0]);
      }
      if (chunked) {
        return new Answer(code, chunked(in));
      }
      if (length >= 0) {
        if (length > MAX_ANSWER) {
          throw new IOException("an answer of " + length + " bytes, more than an upload's");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
          throw new IOException("the answer ended after " + body.length + " of " + length);
        }
        return new Answer(code, body);
      }
      byte[] body = in.readNBytes(MAX_ANSWER + 1);
      if (body.length > MAX_ANSWER) {
        throw new IOException("an answer larger than an upload's");
      }
      return new Answer(code, body);
    }
  }

  private static byte[] chunked(InputStream in) throws IOException {
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
      if (n < 0 || body.size() + (long) n > MAX_ANSWER) {
        throw new IOException("a chunked answer larger than an upload's");
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
