package dev.sluice.cli.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.Cli;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline root signed on separate key holders' machines through the {@code sluice} command,
 * against a real server: each holder's key in its own directory, a 2-of-3 root drafted from public
 * keys, signed one holder at a time, and submitted.
 */
class RootSigningCliTest {
  @TempDir Path dir;
  SluiceServer server;
  String url;
  String admin;

  @BeforeEach
  void start() {
    server = SluiceServer.start(ServerConfig.builder(dir.resolve("data")).port(0).build());
    url = server.baseUri().toString();
    admin = server.bootstrapAdminToken().orElseThrow();
    for (String holder : List.of("h1", "h2", "h3", "h4", "h5", "stranger")) {
      String scheme = holder.equals("h2") ? "ecdsa-p256" : "ed25519";
      ok("keys", "generate", "--out", key(holder).toString(), "--scheme", scheme);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void twoOfThreeHoldersSignOnTheirOwnMachinesAndTheRootIsInstalled() throws IOException {
    Path draft = draft(1, "h1", "h2", "h3");
    byte[] unsigned = Files.readAllBytes(draft);
    assertThat(Metadata.parse(unsigned, Root.class).signatures()).isEmpty();

    Cli.Result first = ok("tuf", "root", "sign", draft.toString(), "--key", key("h1").toString());
    assertThat(first.out()).contains("root version    1").contains("1 of 2 needed (SHORT by 1)");
    Cli.Result partial = Cli.run("tuf", "root", "status-of", draft.toString());
    assertThat(partial.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(partial.out()).contains(keyId("h1")).contains(keyId("h2"));

    ok("tuf", "root", "sign", draft.toString(), "--key", key("h2").toString());
    byte[] twice = Files.readAllBytes(draft);
    ok("tuf", "root", "sign", draft.toString(), "--key", key("h2").toString());
    assertThat(Files.readAllBytes(draft)).as("signing again changes nothing").isEqualTo(twice);
    assertThat(Metadata.parse(twice, Root.class).signatures()).hasSize(2);
    assertThat(Cli.run("tuf", "root", "status-of", draft.toString()).code())
        .isEqualTo(ExitCodes.OK);

    Cli.Result submitted = ok(api("tuf", "root", "submit", draft.toString()));
    assertThat(submitted.out()).contains("installed root version 1");
    assertThat(get("/tuf/1.root.json")).isEqualTo(twice);
  }

  @Test
  void aHolderWhoLostThePublicFileExportsItAgainFromTheKey() throws IOException {
    Path again = dir.resolve("h1-again.pub");
    Cli.Result exported =
        ok("keys", "export-public", "--key", key("h1").toString(), "--out", again.toString());
    assertThat(exported.out()).contains(keyId("h1"));
    assertThat(KeyFiles.readPublic(again)).isEqualTo(KeyFiles.readPublic(Path.of(pub("h1"))));
    assertThat(Files.readString(again)).doesNotContain("private");
  }

  @Test
  void aRootWithTooFewSignaturesIsRefusedWithTheMissingKeysListed() {
    Path draft = draft(1, "h1", "h2", "h3");
    ok("tuf", "root", "sign", draft.toString(), "--key", key("h3").toString());

    Cli.Result refused = Cli.run(api("tuf", "root", "submit", draft.toString()));
    assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err())
        .contains("signature threshold not met")
        .contains("SHORT by 1")
        .contains("signed by [" + keyId("h3") + "]")
        .contains(keyId("h1"))
        .contains(keyId("h2"));
    assertThat(get("/tuf/1.root.json")).isNull();
  }

  @Test
  void aKeyTheDraftDoesNotListCannotSignIt() throws IOException {
    Path draft = draft(1, "h1", "h2", "h3");
    byte[] before = Files.readAllBytes(draft);

    Cli.Result refused =
        Cli.run("tuf", "root", "sign", draft.toString(), "--key", key("stranger").toString());
    assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err()).contains("is not a root key of this draft");
    assertThat(Files.readAllBytes(draft)).isEqualTo(before);
  }

  @Test
  void aDraftChangedAfterSigningIsRefusedBySignersAndByTheServer() throws IOException {
    Path draft = draft(1, "h1", "h2", "h3");
    ok("tuf", "root", "sign", draft.toString(), "--key", key("h1").toString());
    ok("tuf", "root", "sign", draft.toString(), "--key", key("h2").toString());
    // Someone moves the expiry after both signed.
    ObjectNode json = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(draft));
    ((ObjectNode) json.get("signed")).put("expires", "2099-01-01T00:00:00Z");
    Files.write(draft, CanonicalJson.mapper().writeValueAsBytes(json));

    Cli.Result signer =
        Cli.run("tuf", "root", "sign", draft.toString(), "--key", key("h3").toString());
    assertThat(signer.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(signer.err()).contains("do not verify").contains(keyId("h1"));

    Cli.Result submitted = Cli.run(api("tuf", "root", "submit", draft.toString()));
    assertThat(submitted.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(submitted.err()).contains("signature threshold not met").contains("do not verify");
    assertThat(get("/tuf/1.root.json")).isNull();
  }

  @Test
  void aRotationNeedsTheOldAndTheNewThresholdsEachHolderSigningSeparately() throws IOException {
    Path first = draft(1, "h1", "h2", "h3");
    ok("tuf", "root", "sign", first.toString(), "--key", key("h1").toString());
    ok("tuf", "root", "sign", first.toString(), "--key", key("h2").toString());
    ok(api("tuf", "root", "submit", first.toString()));
    Path trusted = dir.resolve("h3").resolve("1.root.json");
    Files.write(trusted, get("/tuf/1.root.json"));

    Path next = dir.resolve("root-2.json");
    Cli.Result drafted =
        ok(
            api(
                "tuf",
                "root",
                "draft",
                "--rotate",
                "--root-key",
                pub("h4"),
                pub("h5"),
                "--threshold",
                "2",
                "--out",
                next.toString()));
    assertThat(drafted.out()).contains("root version    2").contains("--trusted-root 1.root.json");
    ok("tuf", "root", "sign", next.toString(), "--key", key("h4").toString());
    ok("tuf", "root", "sign", next.toString(), "--key", key("h5").toString());
    // Without --trusted-root an old key is not one of the draft's.
    assertThat(Cli.run("tuf", "root", "sign", next.toString(), "--key", key("h3").toString()).err())
        .contains("--trusted-root");

    Cli.Result onlyNew = Cli.run(api("tuf", "root", "submit", next.toString()));
    assertThat(onlyNew.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(onlyNew.err()).contains("current root (version 1)").contains("SHORT by 2");

    String t = trusted.toString();
    ok("tuf", "root", "sign", next.toString(), "--key", key("h3").toString(), "--trusted-root", t);
    Cli.Result oneOld = Cli.run("tuf", "root", "status-of", next.toString(), "--trusted-root", t);
    assertThat(oneOld.code()).isEqualTo(ExitCodes.FAILURE);
    ok("tuf", "root", "sign", next.toString(), "--key", key("h1").toString(), "--trusted-root", t);
    assertThat(Cli.run("tuf", "root", "status-of", next.toString(), "--trusted-root", t).code())
        .isEqualTo(ExitCodes.OK);

    assertThat(ok(api("tuf", "root", "submit", next.toString())).out())
        .contains("installed root version 2");
    assertThat(Metadata.parse(get("/tuf/2.root.json"), Root.class).signatures()).hasSize(4);
  }

  private Path draft(long version, String... holders) {
    Path out = dir.resolve("root-" + version + ".json");
    List<String> args =
        new ArrayList<>(
            List.of("tuf", "root", "draft", "--threshold", "2", "--out", out.toString()));
    args.add("--root-key");
    for (String h : holders) {
      args.add(pub(h));
    }
    ok(api(args.toArray(String[]::new)));
    return out;
  }

  private Path key(String holder) {
    return dir.resolve(holder).resolve(holder + ".key");
  }

  private String pub(String holder) {
    return key(holder) + ".pub";
  }

  private String keyId(String holder) {
    return KeyFiles.readPublic(Path.of(pub(holder))).keyId();
  }

  private String[] api(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--server", url, "--token", admin));
    return all.toArray(String[]::new);
  }

  private byte[] get(String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Cli.Result ok(String... args) {
    Cli.Result result = Cli.run(args);
    assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
    return result;
  }
}
