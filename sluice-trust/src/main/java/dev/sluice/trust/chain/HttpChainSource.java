package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tuf.RemoteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live Sluice server's public, token-free endpoints: {@code /tuf/…} (metadata and targets),
 * {@code /log/checkpoint}, {@code /log/tile/…}, {@code /log/v1/inclusion} and {@code
 * /log/v1/consistency}. Responses are size-limited; nothing is trusted here.
 */
public final class HttpChainSource implements ChainSource {
  private static final long CHECKPOINT_LIMIT = 64 * 1024;
  private static final long TILE_LIMIT = 256 * (2 + 65_535);
  private static final long PROOF_LIMIT = 64 * 1024;
  private static final long HINT_LIMIT = 8 * 1024 * 1024;

  private final URI base;
  private final HttpClient client;
  private final Duration timeout;

  /**
   * @param server the server's base URL, for example {@code https://updates.example}
   */
  public HttpChainSource(URI server, Duration timeout) {
    Objects.requireNonNull(server, "server");
    String text = server.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new IllegalArgumentException("the server URL must be http or https: " + server);
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public HttpChainSource(URI server) {
    this(server, Duration.ofSeconds(30));
  }

  @Override
  public RemoteRepository tuf() {
    return new RemoteRepository() {
      @Override
      public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
        return get("tuf/" + fileName, maxLength, ChainLink.TUF, true);
      }

      @Override
      public byte[] fetchTarget(String fileName, long length) {
        return get("tuf/targets/" + fileName, length + 1, ChainLink.ARTIFACT, false).orElseThrow();
      }

      @Override
      public InputStream openTarget(String fileName, long length) throws IOException {
        return open("tuf/targets/" + fileName, ChainLink.ARTIFACT);
      }
    };
  }

  @Override
  public byte[] checkpoint() {
    return get("log/checkpoint", CHECKPOINT_LIMIT, ChainLink.CHECKPOINT, false).orElseThrow();
  }

  @Override
  public byte[] tile(String path) {
    return get("log/" + path, TILE_LIMIT, ChainLink.INCLUSION, false).orElseThrow();
  }

  @Override
  public List<Hash> inclusionProof(long index, long treeSize) {
    return proof("log/v1/inclusion?index=" + index + "&tree_size=" + treeSize, ChainLink.INCLUSION);
  }

  @Override
  public List<Hash> consistencyProof(long oldSize, long newSize) {
    return proof(
        "log/v1/consistency?old_size=" + oldSize + "&tree_size=" + newSize, ChainLink.CHECKPOINT);
  }

  @Override
  public String describe() {
    return base.toString().substring(0, base.toString().length() - 1);
  }

  /**
   * From the public release API ({@code api/v1/public/releases/{id}}): its product, version and
   * artifact names. Anything unexpected (not found, not JSON, another release) is no hint.
   */
  @Override
  public Optional<ReleaseLocation> locate(String releaseId) {
    if (!releaseId.matches("[0-9A-Za-z][0-9A-Za-z_-]{0,63}")) {
      return Optional.empty();
    }
    Optional<byte[]> body =
        get("api/v1/public/releases/" + releaseId, HINT_LIMIT, ChainLink.TARGET, true);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode json = CanonicalJson.mapper().readTree(body.get());
      if (json == null || !json.path("id").asText("").equals(releaseId)) {
        return Optional.empty();
      }
      List<String> names = new ArrayList<>();
      for (JsonNode artifact : json.path("artifacts")) {
        names.add(artifact.path("name").asText(""));
      }
      return Optional.of(
          new ReleaseLocation(
              json.path("product").asText(""), json.path("version").asText(""), names));
    } catch (IOException | RuntimeException e) {
      // Not a hint: the verifier reads every target list instead.
      return Optional.empty();
    }
  }

  private List<Hash> proof(String path, ChainLink link) {
    byte[] body = get(path, PROOF_LIMIT, link, false).orElseThrow();
    List<Hash> hashes = new ArrayList<>();
    try {
      JsonNode json = CanonicalJson.mapper().readTree(body);
      JsonNode array = json == null ? null : json.get("hashes");
      if (array == null || !array.isArray()) {
        throw new IllegalArgumentException("no \"hashes\" array");
      }
      for (JsonNode h : array) {
        hashes.add(Hash.fromBase64(h.asText()));
      }
    } catch (IOException | IllegalArgumentException | TrustException e) {
      throw new ChainUnavailableException(
          link, describe() + "/" + path + " is not a proof: " + e.getMessage(), e);
    }
    return hashes;
  }

  private InputStream open(String path, ChainLink link) throws IOException {
    HttpResponse<InputStream> response = send(path, link);
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException(describe() + "/" + path + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  private Optional<byte[]> get(String path, long limit, ChainLink link, boolean notFoundIsEmpty) {
    HttpResponse<InputStream> response = send(path, link);
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 404 && notFoundIsEmpty) {
        return Optional.empty();
      }
      if (status != 200) {
        throw new ChainUnavailableException(
            link, describe() + "/" + path + " answered HTTP " + status);
      }
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new ChainUnavailableException(
            link, describe() + "/" + path + " is larger than " + limit + " bytes");
      }
      return Optional.of(bytes);
    } catch (IOException e) {
      throw new ChainUnavailableException(
          link, "reading " + describe() + "/" + path + " failed: " + e.getMessage(), e);
    }
  }

  private HttpResponse<InputStream> send(String path, ChainLink link) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ChainUnavailableException(
          link, "no answer from " + describe() + "/" + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException(link, "interrupted while fetching " + path, e);
    }
  }
}
