package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.tlog.LogPosition;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public transparency log over HTTP, checked with the trust library as an auditor would. */
class LogHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private RunningServer running;
  private Http http;
  private TransparencyLog log;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    log = running.server.transparencyLog();
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private static List<byte[]> entries(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> (prefix + " release record " + i).getBytes(StandardCharsets.UTF_8))
        .toList();
  }

  private LogPosition appendAndWait(List<byte[]> entries) {
    List<LogTicket> tickets = log.appendAll(entries);
    return log.awaitIntegrated(tickets.getLast(), WAIT).orElseThrow();
  }

  private NoteVerifier vkey() {
    return NoteVerifier.parse(http.get("/log/v1/key", null).text().strip());
  }

  private Checkpoint checkpoint() {
    Http.Response response = http.get("/log/checkpoint", null);
    assertThat(response.status()).isEqualTo(200);
    return Checkpoint.fromVerifiedNote(SignedNote.open(response.body(), vkey()));
  }

  private byte[] fetch(String path) {
    Http.Response response = http.get("/log/" + path, null);
    if (response.status() != 200) {
      throw new UncheckedIOException(new java.io.IOException(path + ": " + response));
    }
    return response.body();
  }

  private static List<Hash> hashes(JsonNode proof) {
    List<Hash> hashes = new ArrayList<>();
    proof.get("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asText())));
    return hashes;
  }

  @Test
  void theCheckpointIsASignedNoteThatVerifiesWithTheLogsKeyWithoutAToken() {
    Http.Response response = http.get("/log/checkpoint", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/plain");
    assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=5");
    assertThat(response.text()).startsWith(ServerConfig.DEFAULT_LOG_ORIGIN + "\n0\n");
    Checkpoint checkpoint = checkpoint();
    assertThat(checkpoint.size()).isZero();
    assertThat(checkpoint.rootHash()).isEqualTo(MerkleHash.emptyRoot());
    assertThat(vkey().vkey()).isEqualTo(LogKeys.verifierKey(dataDir));
    assertThat(vkey().name()).isEqualTo(ServerConfig.DEFAULT_LOG_ORIGIN);
  }

  @Test
  void tilesBundlesAndProofsOf600EntriesVerifyAgainstTheCheckpoint() {
    List<byte[]> all = new ArrayList<>(entries("first", 300));
    LogPosition older = appendAndWait(all);
    List<byte[]> more = entries("second", 300);
    appendAndWait(more);
    all.addAll(more);
    Checkpoint newest = checkpoint();
    assertThat(newest.size()).isEqualTo(600);

    TileHashReader tiles = TileAudit.verifyHashTiles(600, newest.rootHash(), this::fetch);
    for (EntryBundleId bundle : Tiles.entryBundles(600)) {
      List<byte[]> bundled = TileAudit.verifyEntryBundle(bundle, fetch(bundle.path()), tiles);
      assertThat(bundled.getFirst()).isEqualTo(all.get((int) bundle.index() * 256));
    }
    for (int index : new int[] {0, 1, 255, 256, 300, 511, 512, 599}) {
      JsonNode proof = http.get("/log/v1/inclusion?index=" + index + "&tree_size=600", null).json();
      assertThat(proof.get("index").asLong()).isEqualTo(index);
      assertThat(proof.get("tree_size").asLong()).isEqualTo(600);
      InclusionProofs.verify(
          index, 600, MerkleHash.leaf(all.get(index)), hashes(proof), newest.rootHash());
    }
    JsonNode consistency = http.get("/log/v1/consistency?old_size=300&tree_size=600", null).json();
    assertThat(consistency.get("old_size").asLong()).isEqualTo(300);
    ConsistencyProofs.verify(
        300, 600, older.checkpoint().root(), newest.rootHash(), hashes(consistency));
  }

  @Test
  void fullTilesAreImmutableAndPartialTilesAreCachedBriefly() {
    appendAndWait(entries("cache", 600));

    Http.Response full = http.get("/log/tile/0/001", null);
    Http.Response partial = http.get("/log/tile/0/002.p/88", null);
    Http.Response bundle = http.get("/log/tile/entries/000", null);
    Http.Response upper = http.get("/log/tile/1/000.p/2", null);

    assertThat(full.status()).isEqualTo(200);
    assertThat(full.body()).hasSize(256 * 32);
    assertThat(full.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(full.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(partial.body()).hasSize(88 * 32);
    assertThat(partial.header("Cache-Control")).isEqualTo("public, max-age=60");
    assertThat(bundle.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(upper.body()).hasSize(2 * 32);
  }

  @Test
  void tilesAndTheCheckpointRevalidateWithTheirEtag() {
    appendAndWait(entries("etag", 300));

    for (String path : List.of("/log/tile/0/000", "/log/tile/entries/000", "/log/checkpoint")) {
      Http.Response first = http.get(path, null);
      String etag = first.header("ETag");
      assertThat(etag).as(path).matches("\"[0-9a-f]{32}\"");

      Http.Response again = http.get(path, null, java.util.Map.of("If-None-Match", etag));
      Http.Response other = http.get(path, null, java.util.Map.of("If-None-Match", "\"other\""));

      assertThat(again.status()).as(path).isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(again.header("Cache-Control")).isEqualTo(first.header("Cache-Control"));
      assertThat(other.status()).as(path).isEqualTo(200);
      assertThat(other.body()).isEqualTo(first.body());
    }
  }

  @Test
  void aTileAnsweredFromMemoryIsTheOneReadFromStorageAndItsRequestIsStillChecked() {
    appendAndWait(entries("memory", 300));

    Http.Response fromStorage = http.get("/log/tile/0/000", null);
    Http.Response fromMemory = http.get("/log/tile/0/000", null);
    Http.Response head =
        http.send(
            http.request("/log/tile/0/000", null)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(fromMemory.status()).isEqualTo(200);
    assertThat(fromMemory.body()).isEqualTo(fromStorage.body()).hasSize(256 * 32);
    assertThat(fromMemory.header("ETag")).isEqualTo(fromStorage.header("ETag"));
    assertThat(fromMemory.header("Cache-Control")).isEqualTo(fromStorage.header("Cache-Control"));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(256 * 32));
    assertThat(head.header("ETag")).isEqualTo(fromStorage.header("ETag"));
    assertThat(head.body()).isEmpty();
    assertThat(http.get("/log/tile/0/000?x=1", null).status()).isEqualTo(400);
    assertThat(
            http.get("/log/tile/0/000", null, java.util.Map.of("Accept", "application/json"))
                .status())
        .isEqualTo(406);
    assertThat(http.get("/log/tile/0/001", null).status()).isEqualTo(404);
  }

  @Test
  void anEntryIsFoundByItsLeafHash() {
    List<byte[]> batch = entries("lookup", 5);
    appendAndWait(batch);

    JsonNode found =
        http.get("/log/v1/lookup?leaf_hash=" + MerkleHash.leaf(batch.get(3)).hex(), null).json();
    Http.Response unknown =
        http.get("/log/v1/lookup?leaf_hash=" + MerkleHash.leaf(new byte[] {1}).hex(), null);

    assertThat(found.get("index").asLong()).isEqualTo(3);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void badParametersAreRefusedWithProblemDocuments() {
    appendAndWait(entries("bad", 10));

    for (String path :
        List.of(
            "/log/v1/inclusion?tree_size=10",
            "/log/v1/inclusion?index=x&tree_size=10",
            "/log/v1/inclusion?index=-1&tree_size=10",
            "/log/v1/inclusion?index=10&tree_size=10",
            "/log/v1/inclusion?index=0&tree_size=11",
            "/log/v1/inclusion?index=0&tree_size=99999999999999999999",
            "/log/v1/consistency?old_size=5",
            "/log/v1/consistency?old_size=6&tree_size=5",
            "/log/v1/consistency?old_size=1&tree_size=11",
            "/log/v1/lookup",
            "/log/v1/lookup?leaf_hash=abc",
            "/log/v1/lookup?leaf_hash=" + "z".repeat(64))) {
      Http.Response response = http.get(path, null);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.json().get("status").asInt()).as(path).isEqualTo(400);
    }
    for (String path :
        List.of(
            "/log/tile/0/000",
            "/log/tile/0/000.p/11",
            "/log/tile/1/000.p/1",
            "/log/tile/entries/001.p/1",
            "/log/tile/0/0",
            "/log/tile/0/x000/000",
            "/log/tile/nonsense")) {
      assertThat(http.get(path, null).status()).as(path).isEqualTo(404);
    }
    assertThat(http.get("/log/tile/0/000.p/10", null).status()).isEqualTo(200);
    assertThat(http.postBytes("/log/tile/0/000.p/10", null, new byte[0], "text/plain").status())
        .isEqualTo(405);
  }

  @Test
  void theLogKeyIsEncryptedAtRestAndSurvivesARestart() throws Exception {
    appendAndWait(entries("before restart", 3));
    String vkey = vkey().vkey();
    running.close();
    running = null;

    String sealed;
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sluice.db"));
        java.sql.Statement sql = db.createStatement();
        java.sql.ResultSet row =
            sql.executeQuery("SELECT sealed FROM sealed_keys WHERE name = 'log'")) {
      assertThat(row.next()).isTrue();
      sealed = row.getString(1);
    }
    assertThat(sealed).contains("AES-256-GCM").contains(vkey).doesNotContain("PRIVATE+KEY");
    assertThat(LogKeys.keyFile(dataDir)).doesNotExist();
    assertThat(LogKeys.verifierKey(dataDir)).isEqualTo(vkey);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(LogKeys.generatedPassphraseFile(dataDir))))
        .isEqualTo("rw-------");

    try (SluiceServer restarted =
        SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      http = new Http(restarted.baseUri());
      assertThat(vkey().vkey()).isEqualTo(vkey);
      assertThat(checkpoint().size()).isEqualTo(3);
    }
  }

  @Test
  void aRestartWithAnotherOriginIsRefusedClearly() {
    running.close();
    running = null;
    ServerConfig otherOrigin =
        ServerConfig.builder(dataDir).port(0).logOrigin("other.example/log").build();

    assertThatThrownBy(() -> SluiceServer.start(otherOrigin))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("belongs to the log '" + ServerConfig.DEFAULT_LOG_ORIGIN + "'");
  }

  @Test
  void aWrongPassphraseIsRefusedClearly() throws Exception {
    running.close();
    running = null;
    Path wrong = dataDir.resolve("wrong-passphrase");
    Files.writeString(wrong, "not the passphrase\n");
    ServerConfig config = ServerConfig.builder(dataDir).port(0).keyPassphraseFile(wrong).build();

    assertThatThrownBy(() -> SluiceServer.start(config))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("passphrase is wrong");
  }
}
