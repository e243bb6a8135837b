package dev.sluice.cli.client;

import java.io.BufferedInputStream;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * One {@code PUT} of a file on a blocking HTTP/1.1 connection of its own: the calling thread reads
 * the file in 1 MiB chunks, hashes each chunk and writes it to the socket, then reads the answer.
 * The JDK's {@code HttpClient} moves a request body through its reactive publisher and socket tube
 * in 16 KiB buffers, which costs about as much CPU as hashing the bytes (BENCHMARKS.md, "Upload");
 * this does not. It connects to the server directly, over TLS for {@code https} with the JVM's
 * default trust and host name verification, as the JDK client does; {@link #direct(URI)} tells
 * whether a proxy is configured for the server, in which case the JDK client is used instead.
 *
 * <p>The request expects {@code 100 Continue}: an upload the server refuses on its head alone (a
 * name the manifest does not declare, an artifact already there) is answered before any of the body
 * is sent. A server that refuses the upload while the body is still being sent (a declared length
 * over the limit) may answer and close the connection: the write then fails, and the answer already
 * received is read and returned rather than the write's error.
 */
final class FileUpload {
  static final int CHUNK = 1 << 20;

  /** An upload's answer is an artifact's JSON or a problem document: a few hundred bytes. */
  static final int MAX_ANSWER = 1 << 20;

  /** How long the server's {@code 100 Continue} is waited for before the body is sent anyway. */
  static final int CONTINUE_WAIT_MILLIS = 1_000;

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
            (head + "Expect: 100-continue\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Answer refused = refusedBeforeBody(socket, answer, answerTimeout);
        if (refused != null) {
          return refused;
        }
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

  /**
   * Waits for the server's word on the head just sent: {@code 100 Continue} (null: send the body),
   * or a final answer that refuses the upload before any of its bytes travel (a name the manifest
   * does not declare, an artifact already uploaded, a token without the role), which is returned. A
   * server that says nothing within {@link #CONTINUE_WAIT_MILLIS} is sent the body anyway (RFC
   * 9110, section 10.1.1): one in front of it may not pass the expectation on.
   */
  private static Answer refusedBeforeBody(Socket socket, InputStream in, Duration answerTimeout)
      throws IOException {
    socket.setSoTimeout(CONTINUE_WAIT_MILLIS);
    in.mark(1);
    try {
      if (in.read() < 0) {
        throw new EOFException("the server closed the connection before the upload's body");
      }
    } catch (SocketTimeoutException silent) {
      return null;
    }
    in.reset();
    socket.setSoTimeout(Math.toIntExact(answerTimeout.toMillis()));
    while (true) {
      Http1.Answer answer = Http1.readOne(in, false, MAX_ANSWER);
      if (answer.status() == 100) {
        return null;
      }
      if (answer.status() / 100 != 1) {
        return new Answer(answer.status(), answer.body());
      }
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
      return Http1.secure(plain, host, port);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Reads one answer (skipping interim 1xx answers); see {@link Http1#read}. */
  static Answer read(InputStream in) throws IOException {
    Http1.Answer answer = Http1.read(in, false, MAX_ANSWER);
    return new Answer(answer.status(), answer.body());
  }
}
