package dev.sluice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RemoteRepository;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TUF helpers for server tests: offline root keys, a root built against the server's online keys
 * (as {@code sluice tuf root init} does), a certified release, and a {@link RemoteRepository} over
 * {@code java.net.http} against {@code /tuf/}.
 */
public final class Tuf {
  private Tuf() {}

  /** Root keys, generated fresh. */
  public static List<SigningKey> rootKeys(int n) {
    List<SigningKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(SigningKey.generate(i % 2 == 0 ? KeyScheme.ED25519 : KeyScheme.ECDSA_P256));
    }
    return keys;
  }

  /** The server's online public keys from {@code GET /api/v1/tuf/keys}. */
  public static Map<String, VerificationKey> onlineKeys(Pipeline p) {
    Http.Response keys = p.http.get("/api/v1/tuf/keys", p.adminToken);
    assertThat(keys.status()).as(keys.text()).isEqualTo(200);
    JsonNode json = keys.json();
    return Map.of(
        "targets", VerificationKey.fromTufJson(json.get("targets").get("key")),
        "snapshot", VerificationKey.fromTufJson(json.get("snapshot").get("key")),
        "timestamp", VerificationKey.fromTufJson(json.get("timestamp").get("key")));
  }

  /** Root v{@code version} with {@code threshold} of {@code rootKeys} and the given online keys. */
  public static Root root(
      long version, List<SigningKey> rootKeys, int threshold, Map<String, VerificationKey> online) {
    RepositoryBuilder builder =
        new RepositoryBuilder(Clock.systemUTC(), RepositoryBuilder.Expiry.defaults());
    return builder.root(
        version,
        RoleKeySet.of(threshold, rootKeys),
        new RoleKeySet(List.of(online.get("targets")), 1),
        new RoleKeySet(List.of(online.get("snapshot")), 1),
        new RoleKeySet(List.of(online.get("timestamp")), 1));
  }

  /** Uploads root metadata bytes. */
  public static Http.Response upload(Pipeline p, byte[] root) {
    return p.http.postBytes("/api/v1/tuf/root", p.adminToken, root, "application/json");
  }

  /** Initialises the server's TUF repository with a 2-of-3 root and returns root v1's bytes. */
  public static byte[] init(Pipeline p, List<SigningKey> rootKeys) {
    Metadata<Root> root =
        RepositoryBuilder.signRoot(root(1, rootKeys, 2, onlineKeys(p)), rootKeys.subList(0, 2));
    Http.Response uploaded = upload(p, root.toBytes());
    assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
    return root.toBytes();
  }

  /** A CERTIFIED release of the product (the pipeline has at least two certifiers). */
  public static String certified(
      Pipeline p, String product, String version, Map<String, byte[]> files) {
    String id = p.draft(product, version, Pipeline.manifest(product, version, files), files);
    assertThat(p.check(id).json().get("state").asText()).isEqualTo("checked");
    assertThat(p.approve(id, "lab-1").status()).isEqualTo(201);
    assertThat(p.approve(id, "lab-2").status()).isEqualTo(201);
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");
    return id;
  }

  public static Http.Response publish(Pipeline p, String id) {
    return p.http.postBytes(
        "/api/v1/releases/" + id + "/publish", p.adminToken, new byte[0], "application/json");
  }

  /** The server's {@code /tuf/} as a TUF client sees it. */
  public static RemoteRepository remote(URI base) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new RemoteRepository() {
      @Override
      public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
        HttpResponse<byte[]> r = get(fileName);
        if (r.statusCode() == 404) {
          return Optional.empty();
        }
        assertThat(r.statusCode()).isEqualTo(200);
        return Optional.of(r.body());
      }

      @Override
      public byte[] fetchTarget(String fileName, long length) {
        HttpResponse<byte[]> r = get("targets/" + fileName);
        if (r.statusCode() != 200) {
          throw new IllegalStateException("target " + fileName + ": HTTP " + r.statusCode());
        }
        return r.body();
      }

      private HttpResponse<byte[]> get(String file) {
        try {
          return client.send(
              HttpRequest.newBuilder(base.resolve("/tuf/" + file)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
