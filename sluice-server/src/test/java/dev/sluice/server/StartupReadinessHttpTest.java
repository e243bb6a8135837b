package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online keys are opened after the server listens (their PBKDF2 is off the start-up path): the
 * server answers at once, {@code /api/v1/ready} says whether the transparency log has started and
 * the keys are open, and a request that needs them waits for them instead of failing.
 */
class StartupReadinessHttpTest {
  private static final Duration BOUND = Duration.ofMinutes(2);
  @TempDir Path temp;

  private static SluiceServer start(Path dataDir) {
    return SluiceServer.start(ServerConfig.builder(dataDir).port(0).build());
  }

  @Test
  void readinessReportsTheKeysUntilTheyAreOpenAndThenAnswers200() {
    try (SluiceServer server = start(temp.resolve("data"))) {
      Http http = new Http(server.baseUri());
      String admin = server.bootstrapAdminToken().orElseThrow();
      assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
      Http.Response early = http.get("/api/v1/ready", admin);
      // Whichever moment the request caught, status, flag and reason agree.
      JsonNode report = early.json();
      if (early.status() == 503) {
        assertThat(report.get("ready").asBoolean()).isFalse();
        assertThat(report.at("/problems/0/kind").asText()).isEqualTo("keys_opening");
        assertThat(report.at("/problems/0/detail").asText())
            .isEqualTo("the TUF online keys are being opened");
      } else {
        assertThat(early.status()).isEqualTo(200);
        assertThat(report.get("ready").asBoolean()).isTrue();
      }

      server.awaitKeys(BOUND);

      Http.Response ready = http.get("/api/v1/ready", null);
      assertThat(ready.status()).as(ready.text()).isEqualTo(200);
      assertThat(ready.json().get("ready").asBoolean()).isTrue();
    }
  }

  @Test
  void aLaunchedServerAnswersHealthAtOnceAndItsLogOnceTheLogKeyIsOpen() {
    Path dataDir = temp.resolve("data");
    try (SluiceServer first = start(dataDir)) {
      first.awaitKeys(BOUND);
    }
    // A restart: the log key is sealed in the database and its PBKDF2 runs after the bind.
    try (SluiceServer server = SluiceServer.launch(ServerConfig.builder(dataDir).port(0).build())) {
      Http http = new Http(server.baseUri());
      assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
      Http.Response early = http.get("/api/v1/ready", readAdminToken(dataDir));
      if (early.status() == 503) {
        assertThat(early.json().at("/problems/0/kind").asText())
            .isIn("log_starting", "keys_opening");
      } else {
        assertThat(early.status()).isEqualTo(200);
      }

      // Sent at once: it waits for the log rather than failing.
      Http.Response checkpoint = http.get("/log/checkpoint", null);

      assertThat(checkpoint.status()).as(checkpoint.text()).isEqualTo(200);
      assertThat(checkpoint.text()).startsWith(server.transparencyLog().origin() + "\n");
      server.awaitStarted();
      server.awaitKeys(BOUND);
      assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(200);
    }
  }

  @Test
  void aWrongPassphraseFoundAfterTheBindLeavesTheServerAnswering503UntilItIsClosed()
      throws Exception {
    Path dataDir = temp.resolve("data");
    String admin;
    try (SluiceServer first = start(dataDir)) {
      first.awaitKeys(BOUND);
      admin = first.bootstrapAdminToken().orElseThrow();
    }
    Path wrong = temp.resolve("wrong-passphrase");
    java.nio.file.Files.writeString(wrong, "not the passphrase\n");

    try (SluiceServer server =
        SluiceServer.launch(
            ServerConfig.builder(dataDir).port(0).keyPassphraseFile(wrong).build())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(server::awaitStarted)
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("passphrase is wrong");
      Http http = new Http(server.baseUri());
      assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
      Http.Response ready = http.get("/api/v1/ready", admin);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().at("/problems/0/kind").asText()).isEqualTo("log_starting");
      assertThat(ready.json().at("/problems/0/detail").asText())
          .startsWith("the server could not finish its start: ")
          .contains("passphrase is wrong");
      Http.Response log = http.get("/log/checkpoint", null);
      assertThat(log.status()).isEqualTo(503);
      assertThat(log.json().get("detail").asText()).contains("could not finish its start");
    }
  }

  @Test
  void aPublishRightAfterTheStartWaitsForTheKeysAndSucceeds() {
    Path dataDir = temp.resolve("data");
    // A restart: the keys exist sealed in the database and must be opened, not generated.
    try (SluiceServer first = start(dataDir)) {
      first.awaitKeys(BOUND);
    }
    String admin = readAdminToken(dataDir);
    try (SluiceServer server = start(dataDir)) {
      Pipeline p = new Pipeline(new Http(server.baseUri()), admin).certifiers(2);
      assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
      Tuf.init(p, Tuf.rootKeys(3));
      String release = Tuf.certified(p, "acme-phone", "1.0.0", Pipeline.artifacts("early"));

      Http.Response published = Tuf.publish(p, release);

      assertThat(published.status()).as(published.text()).isEqualTo(200);
      assertThat(p.http.get("/api/v1/ready", null).status()).isEqualTo(200);
    }
  }

  @Test
  void aTufKeyThatDoesNotOpenLeavesTheServerUpButNotReadyWithTheReason() {
    Path dataDir = temp.resolve("data");
    String admin;
    try (SluiceServer first = start(dataDir)) {
      first.awaitKeys(BOUND);
      admin = first.bootstrapAdminToken().orElseThrow();
    }
    // Each opens with the passphrase, but is sealed for the other role.
    try (Database db = Database.open("jdbc:sqlite:" + dataDir.resolve("sluice.db"))) {
      db.jdbi()
          .useTransaction(
              h -> {
                Map<String, Object> snapshot =
                    h.createQuery("SELECT sealed FROM sealed_keys WHERE name = 'tuf-snapshot'")
                        .mapToMap()
                        .one();
                h.execute(
                    "UPDATE sealed_keys SET sealed = (SELECT sealed FROM sealed_keys WHERE name ="
                        + " 'tuf-timestamp') WHERE name = 'tuf-snapshot'");
                h.execute(
                    "UPDATE sealed_keys SET sealed = ? WHERE name = 'tuf-timestamp'",
                    snapshot.get("sealed"));
              });
    }

    try (SluiceServer server = start(dataDir)) {
      Http http = new Http(server.baseUri());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.awaitKeys(BOUND))
          .isInstanceOf(dev.sluice.server.keys.OnlineKeyException.class)
          .hasMessageContaining("is not the Sluice TUF");
      assertThat(http.get("/api/v1/health", null).status()).isEqualTo(200);
      Http.Response ready = http.get("/api/v1/ready", admin);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().at("/problems/0/detail").asText())
          .startsWith("the TUF online keys could not be opened: ")
          .contains("is not the Sluice TUF");
      // An anonymous probe learns only that the server is not ready.
      Http.Response anonymous = http.get("/api/v1/ready", null);
      assertThat(anonymous.status()).isEqualTo(503);
      assertThat(anonymous.json().has("problems")).isFalse();
    }
  }

  private static String readAdminToken(Path dataDir) {
    try {
      return java.nio.file.Files.readString(dataDir.resolve("admin.token")).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
