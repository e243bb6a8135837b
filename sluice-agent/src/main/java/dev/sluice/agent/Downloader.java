package dev.sluice.agent;

import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a verified target into {@code downloads/<sha256>.part}, resuming an interrupted
 * download with an HTTP {@code Range} request, with a 64 KiB buffer whatever the image size. The
 * SHA-256 runs over the partial file first, then over every byte as it arrives; the file is renamed
 * to {@code <sha256>.img} only when length and digest are those the chain verified. Bytes that do
 * not match are deleted, never installed.
 */
public final class Downloader {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int BUFFER = 64 * 1024;

  private final AgentHttp http;
  private final Path dir;
  private final Consumer<String> trace;

  public Downloader(AgentHttp http, Path dir, Consumer<String> trace) {
    this.http = http;
    this.dir = dir;
    this.trace = trace;
  }

  /** Where a completed, verified download of {@code target} lies. */
  public Path verifiedFile(VerifiedTarget target) {
    return dir.resolve(target.sha256().hex() + ".img");
  }

  /** Where an unfinished download of {@code target} lies. */
  public Path partialFile(VerifiedTarget target) {
    return dir.resolve(target.sha256().hex() + ".part");
  }

  /**
   * Downloads (or resumes) the target from {@code uri} and returns the verified file.
   *
   * @throws UpdateRefusedException ({@link Refusal#TAMPERED}) if the bytes are not the target's
   * @throws ServerException if the server failed; the partial file is kept for the next try
   */
  public Path download(URI uri, String authorization, VerifiedTarget target) {
    Path done = verifiedFile(target);
    if (Files.exists(done)) {
      return done;
    }
    Path part = partialFile(target);
    try {
      MessageDigest digest = Sha256.newDigest();
      long have = hashExisting(part, digest, target.length());
      if (have < target.length()) {
        have = fetch(uri, authorization, part, digest, have, target);
      }
      if (have != target.length() || !Sha256.fromBytes(digest.digest()).matches(target.sha256())) {
        Files.deleteIfExists(part);
        throw new UpdateRefusedException(
            Refusal.TAMPERED,
            "the artifact served for "
                + target.tufPath()
                + " does not have the verified length and sha256 "
                + target.sha256().hex());
      }
      AtomicFiles.syncFile(part);
      AtomicFiles.moveDurably(part, done);
      return done;
    } catch (IOException e) {
      throw new ServerException("download of " + target.tufPath() + " failed: " + e, 0, e);
    }
  }

  // Hashes what an interrupted download left; a partial file longer than the target is garbage.
  private long hashExisting(Path part, MessageDigest digest, long length) throws IOException {
    if (!Files.exists(part)) {
      return 0;
    }
    if (Files.size(part) > length) {
      Files.delete(part);
      return 0;
    }
    long total = 0;
    try (InputStream in = Files.newInputStream(part)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        total += n;
      }
    }
    if (total > 0) {
      trace.accept("download-resume");
    }
    return total;
  }

  private long fetch(
      URI uri, String authorization, Path part, MessageDigest digest, long have, VerifiedTarget t)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (have > 0) {
      // RFC 9110 §14.2, with If-Range on the strong ETag Sluice serves: a changed file restarts.
      request.header("Range", "bytes=" + have + "-");
      request.header("If-Range", "\"" + t.sha256().hex() + "\"");
    }
    HttpResponse<InputStream> response = http.stream(request.build());
    try (InputStream body = response.body()) {
      long offset;
      if (response.statusCode() == 206) {
        offset = rangeStart(response);
        if (offset != have) {
          throw new ServerException("the server resumed at byte " + offset + ", not " + have);
        }
      } else if (response.statusCode() == 200) {
        offset = 0;
        if (have > 0) {
          digest.reset();
        }
      } else {
        throw new ServerException(
            "GET " + uri.getPath() + " answered " + response.statusCode(),
            response.statusCode(),
            null);
      }
      StandardOpenOption mode =
          offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
      long total = offset;
      try (OutputStream out =
          Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        // Never more than one byte past the verified length is read; none of it is written.
        while ((n = body.read(buffer, 0, (int) Math.min(BUFFER, t.length() - total + 1))) > 0) {
          if (n > t.length() - total) {
            throw new UpdateRefusedException(
                Refusal.TAMPERED, "the artifact served is longer than " + t.length() + " bytes");
          }
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          total += n;
          trace.accept("download-chunk");
        }
      }
      return total;
    } catch (UpdateRefusedException e) {
      Files.deleteIfExists(part);
      throw e;
    } catch (IOException e) {
      throw new ServerException("download of " + t.tufPath() + " interrupted: " + e, 0, e);
    }
  }

  private static long rangeStart(HttpResponse<?> response) {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header);
    if (!m.matches()) {
      throw new ServerException("a 206 answer without a valid Content-Range: '" + header + "'");
    }
    return Long.parseLong(m.group(1));
  }
}
