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
    /** A verified local file and the size its verification saw. */
    record File(Path path, long size) implements Source {}

    record Store(dev.sluice.core.blob.BlobStore store, dev.sluice.trust.hash.Sha256 digest)
        implements Source {}
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
    if (answer(ex, length, sha256, filename) instanceof Answer.Body body) {
      write(ex, body.status(), body.contentType(), file, body.parts(), isHead(ex));
    }
  }

  /**
   * Sends an artifact from the connection's I/O thread, without blocking: the headers, then the
   * file's bytes with sendfile as far as the socket takes them, and again each time it can take
   * more (see {@link IoThreadFileTransfer}). Only a whole body or a single range; false, with
   * nothing sent, for a request of several ranges (a multipart answer is sent by {@link #send}).
   */
  static boolean sendFromIoThread(
      HttpServerExchange ex, Source.File file, long length, String sha256, String filename)
      throws IOException {
    String range = ex.getRequestHeaders().getFirst(Headers.RANGE);
    if (range != null && range.indexOf(',') >= 0) {
      return false;
    }
    Answer answer = answer(ex, length, sha256, filename);
    if (!(answer instanceof Answer.Body body)) {
      return true;
    }
    Part part = body.parts().getFirst();
    if (body.parts().size() != 1 || part.prefix() != null) {
      throw new IllegalStateException("one range asked for, several planned");
    }
    if (part.count() > 0 && part.position() + part.count() > file.size()) {
      throw new IOException("the blob file is shorter than its recorded size");
    }
    ex.setStatusCode(body.status());
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, body.contentType());
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, part.count());
    if (isHead(ex) || part.count() == 0) {
      ex.endExchange();
      return true;
    }
    IoThreadFileTransfer.start(ex, file.path(), part.position(), part.count());
    return true;
  }

  /** What a request for the artifact is answered: already sent (304, 416), or a body to send. */
  private sealed interface Answer {
    record Sent() implements Answer {}

    record Body(int status, String contentType, List<Part> parts) implements Answer {}
  }

  /**
   * Puts the headers every answer carries and decides the answer from the request's headers alone
   * ({@code If-None-Match}, {@code Range}, {@code If-Range}); a 304 or 416 is sent here.
   */
  private static Answer answer(HttpServerExchange ex, long length, String sha256, String filename) {
    String etag = "\"" + sha256 + "\"";
    ex.getResponseHeaders().put(Headers.ETAG, etag);
    ex.getResponseHeaders().put(Headers.ACCEPT_RANGES, "bytes");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "private, max-age=31536000, immutable");
    Optional<String> ifNoneMatch = header(ex, Headers.IF_NONE_MATCH);
    if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), etag)) {
      ex.setStatusCode(304);
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return new Answer.Sent();
    }
    ex.getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    Optional<String> range = header(ex, Headers.RANGE);
    Optional<String> ifRange = header(ex, Headers.IF_RANGE);
    if (ifRange.isPresent() && !ifRange.get().strip().equals(etag)) {
      range = Optional.empty();
    }
    return switch (ByteRanges.parse(range, length)) {
      case ByteRanges.Outcome.Whole w ->
          new Answer.Body(200, OCTET_STREAM, List.of(new Part(null, 0, length)));
      case ByteRanges.Outcome.Unsatisfiable u -> {
        ex.setStatusCode(416);
        ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + length);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        ex.endExchange();
        yield new Answer.Sent();
      }
      case ByteRanges.Outcome.Partial p when p.ranges().size() == 1 -> {
        ByteRanges.Range r = p.ranges().getFirst();
        ex.getResponseHeaders()
            .put(Headers.CONTENT_RANGE, "bytes " + r.first() + "-" + r.last() + "/" + length);
        yield new Answer.Body(206, OCTET_STREAM, List.of(new Part(null, r.first(), r.length())));
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
        yield new Answer.Body(206, "multipart/byteranges; boundary=" + boundary, parts);
      }
    };
  }

  private static final String OCTET_STREAM = "application/octet-stream";

  private static Optional<String> header(HttpServerExchange ex, io.undertow.util.HttpString name) {
    return Optional.ofNullable(ex.getRequestHeaders().getFirst(name));
  }

  private static boolean isHead(HttpServerExchange ex) {
    return ex.getRequestMethod().equals(Methods.HEAD);
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
    Source.File file = (Source.File) source;
    // Through the exchange's own output stream, so that Undertow ends the response normally and
    // keeps the connection; its transferFrom sends a file channel from position to size with
    // sendfile, and a RangeFileChannel (a window whose byte 0 is the range's first) makes that
    // exactly one range.
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      OutputStream out = ex.getOutputStream();
      for (Part part : parts) {
        if (part.prefix() != null) {
          out.write(part.prefix());
        }
        if (part.count() > 0) {
          long last = part.position() + part.count() - 1;
          if (last >= file.size()) {
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
