package dev.sluice.server.ddi;

import dev.sluice.server.http.Call;
import io.undertow.io.BufferWritableOutputStream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Sends an artifact from its content-addressed blob file with zero-copy transfers (the kernel's
 * sendfile, through Undertow's {@code transferFrom}): HEAD, a strong ETag (the SHA-256), {@code
 * If-None-Match} (304), {@code If-Range}, one range (206 with {@code Content-Range}), several
 * ranges ({@code multipart/byteranges}) and unsatisfiable ranges (416 with {@code Content-Range:
 * bytes *}{@code /length}). A blob store without local files (S3-compatible object storage) is read
 * range by range instead, each range fetched from the store alone.
 */
final class ArtifactSender {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ArtifactSender() {}

  /** Where the artifact's bytes are: a local file (sent zero-copy) or a blob store's ranges. */
  sealed interface Source {
    record File(Path path) implements Source {}

    record Store(dev.sluice.core.blob.BlobStore store, dev.sluice.trust.hash.Sha256 digest)
        implements Source {}
  }

  static void send(Call call, Path file, long length, String sha256, String filename)
      throws IOException {
    send(call, new Source.File(file), length, sha256, filename);
  }

  static void send(Call call, Source source, long length, String sha256, String filename)
      throws IOException {
    try {
      sendFile(call, source, length, sha256, filename);
    } catch (IOException | RuntimeException e) {
      HttpServerExchange ex = call.exchange();
      if (!ex.isResponseStarted()) {
        // The problem answer that follows describes no artifact.
        for (var h :
            List.of(
                Headers.ETAG,
                Headers.ACCEPT_RANGES,
                Headers.CACHE_CONTROL,
                Headers.CONTENT_DISPOSITION,
                Headers.CONTENT_RANGE,
                Headers.CONTENT_LENGTH,
                Headers.CONTENT_TYPE)) {
          ex.getResponseHeaders().remove(h);
        }
      }
      throw e;
    }
  }

  private static void sendFile(Call call, Source file, long length, String sha256, String filename)
      throws IOException {
    HttpServerExchange ex = call.exchange();
    String etag = "\"" + sha256 + "\"";
    ex.getResponseHeaders().put(Headers.ETAG, etag);
    ex.getResponseHeaders().put(Headers.ACCEPT_RANGES, "bytes");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "private, max-age=31536000, immutable");
    Optional<String> ifNoneMatch = call.header("If-None-Match");
    if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), etag)) {
      ex.setStatusCode(304);
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return;
    }
    ex.getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    Optional<String> range = call.header("Range");
    Optional<String> ifRange = call.header("If-Range");
    if (ifRange.isPresent() && !ifRange.get().strip().equals(etag)) {
      range = Optional.empty();
    }
    boolean head = ex.getRequestMethod().equals(Methods.HEAD);
    switch (ByteRanges.parse(range, length)) {
      case ByteRanges.Outcome.Whole w ->
          write(
              ex, 200, "application/octet-stream", file, List.of(new Part(null, 0, length)), head);
      case ByteRanges.Outcome.Unsatisfiable u -> {
        ex.setStatusCode(416);
        ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + length);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        ex.endExchange();
      }
      case ByteRanges.Outcome.Partial p when p.ranges().size() == 1 -> {
        ByteRanges.Range r = p.ranges().getFirst();
        ex.getResponseHeaders()
            .put(Headers.CONTENT_RANGE, "bytes " + r.first() + "-" + r.last() + "/" + length);
        write(
            ex,
            206,
            "application/octet-stream",
            file,
            List.of(new Part(null, r.first(), r.length())),
            head);
      }
      case ByteRanges.Outcome.Partial p -> {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        String boundary = "sluice-" + HexFormat.of().formatHex(b);
        List<Part> parts = new ArrayList<>();
        for (ByteRanges.Range r : p.ranges()) {
          String partHeader =
              "\r\n--"
                  + boundary
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                  + r.first()
                  + "-"
                  + r.last()
                  + "/"
                  + length
                  + "\r\n\r\n";
          parts.add(
              new Part(partHeader.getBytes(StandardCharsets.US_ASCII), r.first(), r.length()));
        }
        parts.add(
            new Part(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), 0, 0));
        write(ex, 206, "multipart/byteranges; boundary=" + boundary, file, parts, head);
      }
    }
  }

  /** A piece of the body: some literal bytes, then a region of the file. */
  private record Part(byte[] prefix, long position, long count) {}

  // BufferWritableOutputStream.transferFrom is deprecated but is the blocking stream's only
  // zero-copy path; the stream must be the exchange's own so that Undertow ends the response.
  @SuppressWarnings("deprecation")
  private static void write(
      HttpServerExchange ex,
      int status,
      String contentType,
      Source source,
      List<Part> parts,
      boolean head)
      throws IOException {
    long total = 0;
    for (Part part : parts) {
      total += (part.prefix() == null ? 0 : part.prefix().length) + part.count();
    }
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, total);
    if (head) {
      ex.endExchange();
      return;
    }
    if (source instanceof Source.Store store) {
      writeFromStore(ex, store, parts);
      return;
    }
    Path file = ((Source.File) source).path();
    // Through the exchange's own output stream, so that Undertow ends the response normally and
    // keeps the connection; its transferFrom sends a file channel from position to size with
    // sendfile, and a RangeFileChannel (a window whose byte 0 is the range's first) makes that
    // exactly one range.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      OutputStream out = ex.getOutputStream();
      for (Part part : parts) {
        if (part.prefix() != null) {
          out.write(part.prefix());
        }
        if (part.count() > 0) {
          long last = part.position() + part.count() - 1;
          if (last >= channel.size()) {
            throw new IOException("the blob file is shorter than its recorded size");
          }
          try (RangeFileChannel range = new RangeFileChannel(channel, part.position(), last)) {
            ((BufferWritableOutputStream) out).transferFrom(range);
          }
        }
      }
      // Every byte is on the wire once this returns; only the response's end is left.
      out.flush();
    }
    endOnIoThread(ex);
  }

  /**
   * Ends the exchange on the connection's I/O thread. Ended here (on the blocking executor),
   * Undertow resumes the connection's reads from this thread, across threads (XNIO's {@code setOps}
   * and a selector wake-up): a JFR profile of 1 MiB Range requests showed about a fifth of their
   * CPU time there. The body was flushed, so closing the stream on the I/O thread only ends the
   * response and never waits for the socket; a GET's (empty) request body is closed here, where
   * reading may block.
   */
  private static void endOnIoThread(HttpServerExchange ex) throws IOException {
    ex.getInputStream().close();
    ex.dispatch(ex.getIoThread(), HttpServerExchange::endExchange);
  }

  /** Streams each range from the store (an S3 GET with Range per part). */
  private static void writeFromStore(HttpServerExchange ex, Source.Store store, List<Part> parts)
      throws IOException {
    OutputStream out = ex.getOutputStream();
    for (Part part : parts) {
      if (part.prefix() != null) {
        out.write(part.prefix());
      }
      if (part.count() > 0) {
        try (var in = store.store().open(store.digest(), part.position(), part.count())) {
          if (in.transferTo(out) != part.count()) {
            throw new IOException("the stored blob is shorter than its recorded size");
          }
        }
      }
    }
    out.close();
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
