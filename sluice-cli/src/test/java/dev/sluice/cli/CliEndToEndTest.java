package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.client.Statement;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.Version;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole story through the {@code sluice} command, in-process against a real server on a random
 * port: keys, certifiers, tokens, a 2-of-3 product, releases that pass, fail and get rejected.
 */
class CliEndToEndTest {
  private static final String PRODUCT = "acme-gw";
  private static final List<String> LABS = List.of("lab-a", "lab-b", "lab-c");

  @TempDir static Path dir;
  private static SluiceServer server;
  private static String url;
  private static String admin;
  private static String releaseManager;

  @BeforeAll
  static void startServerAndRegisterCertifiers() {
    server = SluiceServer.start(ServerConfig.builder(dir.resolve("data")).port(0).build());
    url = server.baseUri().toString();
    admin = server.bootstrapAdminToken().orElseThrow();
    for (String lab : LABS) {
      String scheme = lab.equals("lab-b") ? "ecdsa-p256" : "ed25519";
      ok("keys", "generate", "--out", key(lab).toString(), "--scheme", scheme);
      ok(
          api(
              admin,
              "certifier",
              "add",
              "--id",
              lab,
              "--name",
              "Lab " + lab,
              "--key",
              key(lab) + ".pub"));
    }
    ok(
        api(
            admin,
            "product",
            "create",
            "--name",
            PRODUCT,
            "--certifier",
            "lab-a,lab-b,lab-c",
            "--threshold",
            "2",
            "--max-artifact-size",
            "16MiB",
            "--description",
            "A gateway"));
    releaseManager =
        ok(api(admin, "token", "create", "--role", "release-manager", "--label", "ci"))
            .out()
            .strip();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aPassingReleaseIsCheckedAndCertifiedByTwoOfThreeCertifiers() throws IOException {
    String id = createRelease("1.0.0", false);

    Cli.Result check = Cli.run(api(releaseManager, "release", "check", id));
    assertThat(check.code()).as(check.toString()).isZero();
    assertThat(check.out()).contains("PASSED").contains("network-endpoints-declared");

    Cli.Result first =
        ok(api(certifierToken("lab-a"), "certify", id, "--key", key("lab-a").toString()));
    assertThat(first.out()).contains("CHECKED").contains("approvals 1 of 2");
    Cli.Result second =
        ok(api(certifierToken("lab-b"), "certify", id, "--key", key("lab-b").toString()));
    assertThat(second.out()).contains("CERTIFIED").contains("approvals 2 of 2");

    Cli.Result show = ok(api(admin, "release", "show", id));
    assertThat(show.out())
        .contains("CERTIFIED")
        .contains("system.img")
        .contains("boot.img")
        .contains("approvals 2 of 2")
        .contains("lab-a")
        .contains("lab-b");
    JsonNode json = CanonicalJson.parse(ok(api(admin, "release", "show", id, "--json")).stdout());
    assertThat(json.get("state").asText()).isEqualTo("certified");
    assertThat(ok(api(admin, "release", "list", "--state", "certified")).out()).contains(id);
    // --limit stops early and says how to go on; --after goes on from there.
    createRelease("0.9.0", false);
    Cli.Result one = ok(api(admin, "release", "list", "--limit", "1"));
    assertThat(one.err()).contains("more releases: add --after ");
    String cursor = one.err().strip().substring(one.err().strip().lastIndexOf(' ') + 1);
    Cli.Result rest = ok(api(admin, "release", "list", "--after", cursor, "--json"));
    Cli.Result all = ok(api(admin, "release", "list", "--json"));
    assertThat(CanonicalJson.parse(all.stdout()).size())
        .isEqualTo(1 + CanonicalJson.parse(rest.stdout()).size());
    assertThat(ok(api(admin, "audit", "list", "--subject", "release/" + id)).out())
        .contains("release.certified");
  }

  @Test
  void listsTakeAFilterAndASortThatTheServerChecks() throws IOException {
    String older = createRelease("8.0.0", false);
    String newer = createRelease("8.1.0", false);

    JsonNode oldestFirst =
        CanonicalJson.parse(
            ok(api(
                    admin,
                    "release",
                    "list",
                    "--filter",
                    "product==" + PRODUCT + ";version=in=(8.0.0,8.1.0)",
                    "--sort",
                    "created",
                    "--json"))
                .stdout());
    assertThat(oldestFirst).extracting(r -> r.get("id").asText()).containsExactly(older, newer);
    Cli.Result newest = ok(api(admin, "release", "list", "--filter", "version==8.*"));
    assertThat(newest.out().indexOf(newer)).isLessThan(newest.out().indexOf(older));

    // The audit trail newest first, page by page with the cursor standard error names.
    Cli.Result first =
        ok(
            api(
                admin,
                "audit",
                "list",
                "--filter",
                "type==release.created",
                "--sort",
                "-at",
                "--limit",
                "1"));
    assertThat(first.out()).contains("release/" + newer).doesNotContain("release/" + older);
    String cursor = first.err().strip().substring(first.err().strip().lastIndexOf(' ') + 1);
    Cli.Result second =
        ok(
            api(
                admin,
                "audit",
                "list",
                "--filter",
                "type==release.created",
                "--sort",
                "-at",
                "--limit",
                "1",
                "--after",
                cursor));
    assertThat(second.out()).contains("release/" + older);

    assertThat(
            ok(api(admin, "rollout", "list", "--filter", "state==created", "--sort", "created"))
                .code())
        .isZero();
    Cli.Result bad = Cli.run(api(admin, "release", "list", "--filter", "owner==me"));
    assertThat(bad.code()).as(bad.toString()).isNotZero();
    assertThat(bad.err()).contains("unknown field 'owner'");
    Cli.Result badSort = Cli.run(api(admin, "audit", "list", "--sort", "seq"));
    assertThat(badSort.code()).as(badSort.toString()).isNotZero();
    assertThat(badSort.err()).contains("-at");
  }

  @Test
  void aReleaseManagerSetsAPublicStatusNote() throws IOException {
    String id = createRelease("7.0.0", false);

    Cli.Result noted =
        ok(
            api(
                releaseManager,
                "release",
                "note",
                id,
                "--text",
                "Waiting for lab A.",
                "--target-date",
                "2027-03-01"));
    assertThat(noted.out()).contains("expected by 2027-03-01");
    Cli.Result badDate =
        Cli.run(api(releaseManager, "release", "note", id, "--text", "x", "--target-date", "soon"));
    assertThat(badDate.code()).isNotZero();
    assertThat(badDate.err()).contains("--target-date");
    assertThat(ok(api(admin, "audit", "list", "--subject", "release/" + id)).out())
        .contains("release.status-noted");
  }

  @Test
  void theStatementIsWrittenByteForByteAsTheServerSendsIt() throws IOException {
    String id = createRelease("1.1.0", false);
    ok(api(releaseManager, "release", "check", id));

    Cli.Result printed = ok(api(admin, "release", "statement", id));
    Path file = dir.resolve("statement-" + id + ".json");
    ok(api(admin, "release", "statement", id, "--out", file.toString()));

    Statement fromServer;
    try (SluiceClient client = new SluiceClient(server.baseUri(), Optional.of(admin))) {
      fromServer = client.statement(id);
    }
    assertThat(printed.stdout()).isEqualTo(fromServer.bytes());
    assertThat(Files.readAllBytes(file)).isEqualTo(fromServer.bytes());
    assertThat(Sha256.of(printed.stdout())).isEqualTo(fromServer.sha256());
  }

  @Test
  void aBreakingReleaseIsBlockedWithExitCode3AndTheReportNamesTheFailingStandard()
      throws IOException {
    String id = createRelease("1.2.0", true);

    Cli.Result check = Cli.run(api(releaseManager, "release", "check", id));

    assertThat(check.code()).as(check.toString()).isEqualTo(3);
    assertThat(check.out()).contains("BLOCKED");
    String failing =
        check.out().lines().filter(l -> l.strip().startsWith("FAIL")).findFirst().orElseThrow();
    assertThat(failing).contains("network-endpoints-declared");
    assertThat(check.out()).contains(ExampleManifests.UNDECLARED_ENDPOINT);

    Cli.Result certify =
        Cli.run(api(certifierToken("lab-a"), "certify", id, "--key", key("lab-a").toString()));
    assertThat(certify.code()).as(certify.toString()).isEqualTo(1);
    assertThat(certify.err()).contains("409");
  }

  @Test
  void aCertifiersRejectionBlocksTheRelease() throws IOException {
    String id = createRelease("1.3.0", false);
    ok(api(releaseManager, "release", "check", id));

    Cli.Result rejected =
        ok(
            api(
                certifierToken("lab-c"),
                "certify",
                id,
                "--key",
                key("lab-c").toString(),
                "--reject",
                "fails radio emissions test 4.2"));

    assertThat(rejected.out()).contains("BLOCKED").contains("rejected by lab-c");
    Cli.Result show = ok(api(admin, "release", "show", id));
    assertThat(show.out()).contains("reject").contains("fails radio emissions test 4.2");
    assertThat(ok(api(admin, "audit", "list", "--subject", "release/" + id)).out())
        .contains("release.rejected");
  }

  @Test
  void aCertifierCannotSignWithAKeyRegisteredToAnotherCertifier() throws IOException {
    String id = createRelease("1.4.0", false);
    ok(api(releaseManager, "release", "check", id));

    Cli.Result result =
        Cli.run(api(certifierToken("lab-a"), "certify", id, "--key", key("lab-b").toString()));

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("the server refused (400");
    assertThat(ok(api(admin, "release", "show", id)).out()).contains("approvals 0 of 2");
  }

  @Test
  void aDeviceGatewayTokenIsBoundToAProduct() {
    Cli.Result created =
        ok(
            api(
                admin,
                "token",
                "create",
                "--role",
                "device-gateway",
                "--product",
                PRODUCT,
                "--label",
                "gw-1"));
    assertThat(created.out().strip()).startsWith("sluice_");
    assertThat(created.err()).contains("device-gateway").contains("(product " + PRODUCT + ")");
    Cli.Result unbound =
        Cli.run(api(admin, "token", "create", "--role", "device-gateway", "--label", "gw-2"));
    assertThat(unbound.code()).isEqualTo(1);
    assertThat(unbound.err()).contains("bound to exactly one product");
    // A gateway token speaks DDI only.
    Cli.Result whoami = Cli.run(api(created.out().strip(), "whoami"));
    assertThat(whoami.code()).isEqualTo(1);
    assertThat(whoami.err()).contains("403");
  }

  @Test
  void deviceCommandsExplainWhatIsWrong() {
    Cli.Result unknown =
        Cli.run(
            api(
                admin,
                "device",
                "assign",
                "no-such-device",
                "--release",
                "rel_00000000000000000000000000",
                "--type",
                "soft"));
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("no-such-device");
    Cli.Result badType =
        Cli.run(
            api(
                admin,
                "device",
                "assign",
                "d-1",
                "--release",
                "rel_00000000000000000000000000",
                "--type",
                "later"));
    assertThat(badType.code()).isEqualTo(1);
    assertThat(badType.err()).contains("forced, soft, timeforced, downloadonly");
    Cli.Result actions = Cli.run(api(admin, "device", "actions", "no-such-device"));
    assertThat(actions.code()).isEqualTo(1);
    assertThat(actions.err()).contains("404");
    Cli.Result usage = Cli.run(api(admin, "device", "assign", "d-1"));
    assertThat(usage.code()).isEqualTo(2);
    Cli.Result history = Cli.run(api(admin, "device", "history", "no-such-device"));
    assertThat(history.code()).as(history.toString()).isEqualTo(1);
    assertThat(history.err()).contains("404");
    Cli.Result noAction =
        Cli.run(api(admin, "device", "history", "no-such-device", "--action", "12345"));
    assertThat(noAction.code()).as(noAction.toString()).isEqualTo(1);
    assertThat(noAction.err()).contains("404");
    Cli.Result badCount =
        Cli.run(api(admin, "device", "history", "no-such-device", "--actions", "0"));
    assertThat(badCount.code()).isEqualTo(2);
    assertThat(badCount.err()).contains("--actions");
  }

  @Test
  void aWrongTokenExitsWith1AndTheServersExplanation() {
    Cli.Result result =
        Cli.run(api("sluice_" + "A".repeat(43), "release", "list", "--product", PRODUCT));

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("the server refused (401");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void aReleaseManagerCannotRegisterCertifiers() {
    Cli.Result result =
        Cli.run(
            api(
                releaseManager,
                "certifier",
                "add",
                "--id",
                "lab-x",
                "--name",
                "X",
                "--key",
                key("lab-a") + ".pub"));

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("403");
  }

  @Test
  void productsAndCertifiersAreListedAndShown() {
    assertThat(ok(api(admin, "product", "show", PRODUCT)).out())
        .contains("2 of lab-a, lab-b, lab-c")
        .contains("16 MiB")
        .contains("network-endpoints-declared");
    assertThat(ok(api(admin, "product", "list")).out()).contains(PRODUCT);
    assertThat(ok(api(admin, "certifier", "list")).out())
        .contains("lab-a")
        .contains("lab-b")
        .contains("lab-c");
    assertThat(ok(api(admin, "certifier", "show", "lab-b")).out()).contains("ecdsa");
  }

  @Test
  void aDuplicateArtifactNameIsRefusedBeforeAnythingIsSent() throws IOException {
    Path a = Files.createDirectories(dir.resolve("dup-a")).resolve("system.img");
    Path b = Files.createDirectories(dir.resolve("dup-b")).resolve("system.img");
    Files.write(a, new byte[] {1});
    Files.write(b, new byte[] {2});
    Path manifest = writeManifest("9.9.9", false, List.of(a));

    Cli.Result result =
        Cli.run(
            api(
                releaseManager,
                "release",
                "create",
                "--product",
                PRODUCT,
                "--version",
                "9.9.9",
                "--manifest",
                manifest.toString(),
                "--artifact",
                a.toString(),
                b.toString()));

    assertThat(result.code()).isEqualTo(2);
    assertThat(ok(api(admin, "release", "list", "--product", PRODUCT)).out())
        .doesNotContain("9.9.9");
  }

  /** Writes a manifest and two generated artifacts, runs {@code release create}, returns the id. */
  @Test
  void anOfflineRootIsInstalledThenAReleaseIsPublishedRevokedAndTheRootRotated()
      throws IOException {
    for (String k : List.of("root-1", "root-2", "root-3", "root-4")) {
      ok("keys", "generate", "--out", key(k).toString());
    }
    String id = createRelease("3.0.0", false);
    ok(api(releaseManager, "release", "check", id));
    ok(api(certifierToken("lab-a"), "certify", id, "--key", key("lab-a").toString()));
    ok(api(certifierToken("lab-c"), "certify", id, "--key", key("lab-c").toString()));

    Cli.Result early = Cli.run(api(releaseManager, "release", "publish", id));
    assertThat(early.code()).as(early.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(early.err()).contains("sluice tuf root init");

    Cli.Result init =
        ok(
            api(
                admin,
                "tuf",
                "root",
                "init",
                "--key",
                key("root-1").toString(),
                key("root-2").toString(),
                key("root-3").toString(),
                "--threshold",
                "2"));
    assertThat(init.out()).contains("root version 1").contains("2 of 3");

    Cli.Result published = ok(api(releaseManager, "release", "publish", id));
    assertThat(published.out()).contains("published " + id).contains("log index");
    assertThat(ok(api(releaseManager, "release", "publish", id)).out()).isEqualTo(published.out());
    assertThat(ok(api(admin, "tuf", "status")).out())
        .contains("root")
        .contains("timestamp")
        .contains(PRODUCT);

    Cli.Result revoked =
        ok(api(releaseManager, "release", "revoke", id, "--reason", "recalled by the vendor"));
    assertThat(revoked.out()).contains("revoked " + id);
    JsonNode json = CanonicalJson.parse(ok(api(admin, "release", "show", id, "--json")).stdout());
    assertThat(json.get("state").asText()).isEqualTo("revoked");

    Cli.Result rotated =
        ok(
            api(
                admin,
                "tuf",
                "root",
                "rotate",
                "--old-key",
                key("root-1").toString(),
                key("root-3").toString(),
                "--new-key",
                key("root-4").toString(),
                "--threshold",
                "1"));
    assertThat(rotated.out()).contains("root version 2");
  }

  private static String createRelease(String version, boolean breaking) throws IOException {
    Path files = Files.createDirectories(dir.resolve("release-" + version));
    Path system = files.resolve("system.img");
    Path boot = files.resolve("boot.img");
    Files.write(system, generated("system-" + version, 96 * 1024));
    Files.write(boot, generated("boot-" + version, 8 * 1024));
    Path manifest = writeManifest(version, breaking, List.of(system, boot));

    Cli.Result created =
        ok(
            api(
                releaseManager,
                "release",
                "create",
                "--product",
                PRODUCT,
                "--version",
                version,
                "--manifest",
                manifest.toString(),
                "--artifact",
                system.toString(),
                boot.toString()));
    String id = created.out().strip();
    assertThat(created.out().lines()).as("only the id on stdout").hasSize(1);
    assertThat(id).doesNotContainAnyWhitespaces().isNotEmpty();
    assertThat(created.err()).contains("uploaded system.img").contains("uploaded boot.img");
    return id;
  }

  private static Path writeManifest(String version, boolean breaking, List<Path> files)
      throws IOException {
    List<Artifact> declared = new java.util.ArrayList<>();
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      declared.add(
          new Artifact(
              new ArtifactName(file.getFileName().toString()), Sha256.of(content), content.length));
    }
    JsonNode manifest =
        breaking
            ? ExampleManifests.breaking(PRODUCT, Version.parse(version), declared)
            : ExampleManifests.valid(PRODUCT, Version.parse(version), declared);
    Path file = dir.resolve("manifest-" + version + (breaking ? "-breaking" : "") + ".json");
    Files.writeString(file, manifest.toString(), StandardCharsets.UTF_8);
    return file;
  }

  private static byte[] generated(String seed, int size) {
    byte[] out = new byte[size];
    byte[] block = Sha256.of(seed.getBytes(StandardCharsets.UTF_8)).bytes();
    for (int i = 0; i < size; i += 32) {
      System.arraycopy(block, 0, out, i, Math.min(32, size - i));
      block = Sha256.of(block).bytes();
    }
    return out;
  }

  private static final java.util.Map<String, String> CERTIFIER_TOKENS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String certifierToken(String lab) {
    return CERTIFIER_TOKENS.computeIfAbsent(
        lab,
        l ->
            ok(api(admin, "token", "create", "--role", "certifier", "--label", l, "--certifier", l))
                .out()
                .strip());
  }

  private static Path key(String lab) {
    return dir.resolve(lab + ".key");
  }

  private static String[] api(String token, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--server");
    all.add(url);
    all.add("--token");
    all.add(token);
    return all.toArray(String[]::new);
  }

  private static Cli.Result ok(String... args) {
    Cli.Result result = Cli.run(args);
    assertThat(result.code()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }
}
