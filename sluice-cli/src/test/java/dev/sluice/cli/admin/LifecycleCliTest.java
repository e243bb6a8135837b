package dev.sluice.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import dev.sluice.cli.Cli;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.Version;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Correcting mistakes with the {@code sluice} command against a real server: a product and a
 * certifier updated, a draft's artifact replaced, a draft deleted; an upload that cannot succeed
 * says what to change instead of suggesting the same command again.
 */
class LifecycleCliTest {
  private static final String PRODUCT = "acme-gw";

  @TempDir Path dir;
  private SluiceServer server;
  private String url;
  private String admin;

  @BeforeEach
  void start() {
    server = SluiceServer.start(ServerConfig.builder(dir.resolve("data")).port(0).build());
    url = server.baseUri().toString();
    admin = server.bootstrapAdminToken().orElseThrow();
    ok("keys", "generate", "--out", dir.resolve("lab-a.key").toString());
    ok(
        api(
            "certifier",
            "add",
            "--id",
            "lab-a",
            "--name",
            "Lab A",
            "--key",
            dir.resolve("lab-a.key") + ".pub"));
    ok(api("product", "create", "--name", PRODUCT, "--certifier", "lab-a", "--threshold", "1"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aProductAndACertifierAreUpdated() throws Exception {
    Cli.Result updated =
        ok(
            api(
                "product",
                "update",
                PRODUCT,
                "--description",
                "The gateway",
                "--max-artifact-size",
                "2MiB"));
    assertThat(updated.out()).contains("The gateway").contains("2 MiB");
    Cli.Result nothing = Cli.run(api("product", "update", PRODUCT));
    assertThat(nothing.code()).isEqualTo(2);
    assertThat(nothing.err()).contains("nothing to change");

    Cli.Result renamed =
        ok(api("certifier", "update", "lab-a", "--display-name", "Lab A GmbH", "--json"));
    assertThat(renamed.out()).contains("Lab A GmbH");

    Cli.Result firstPage = ok(api("audit", "list", "--limit", "2"));
    String cursor = cursor(firstPage, "events");
    Cli.Result rest = ok(api("audit", "list", "--after", cursor));
    assertThat(rest.out()).contains("product.updated").contains("certifier.updated");
    assertThat(rest.err()).doesNotContain("more events");
    // Without --limit the whole trail is read, page after page: the first two and all the rest.
    int restCount = events(ok(api("audit", "list", "--after", cursor, "--json"))).size();
    assertThat(events(ok(api("audit", "list", "--json")))).hasSize(2 + restCount);
    Cli.Result refused = Cli.run(api("audit", "list", "--after", "2"));
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("'after' is not a cursor");
  }

  @Test
  void productCertifierAndTokenListsReadEveryPageOrStopAtALimit() throws Exception {
    for (String id : List.of("lab-b", "lab-c")) {
      ok("keys", "generate", "--out", dir.resolve(id + ".key").toString());
      ok(
          api(
              "certifier",
              "add",
              "--id",
              id,
              "--name",
              id,
              "--key",
              dir.resolve(id + ".key") + ".pub"));
    }
    for (String name : List.of("acme-a", "acme-z")) {
      ok(api("product", "create", "--name", name, "--certifier", "lab-a", "--threshold", "1"));
    }

    Cli.Result firstProduct = ok(api("product", "list", "--limit", "1"));
    assertThat(firstProduct.out()).contains("acme-a").doesNotContain("acme-gw");
    Cli.Result otherProducts =
        ok(api("product", "list", "--after", cursor(firstProduct, "products")));
    assertThat(otherProducts.out()).contains("acme-gw").contains("acme-z").doesNotContain("acme-a");
    assertThat(ok(api("product", "list")).out()).contains("acme-a", "acme-gw", "acme-z");

    Cli.Result firstTwoLabs = ok(api("certifier", "list", "--limit", "2"));
    assertThat(firstTwoLabs.out()).contains("lab-a", "lab-b").doesNotContain("lab-c");
    assertThat(ok(api("certifier", "list", "--after", cursor(firstTwoLabs, "certifiers"))).out())
        .contains("lab-c")
        .doesNotContain("lab-a");

    JsonNode firstToken =
        WireJson.MAPPER.readTree(ok(api("token", "list", "--limit", "1", "--json")).stdout());
    assertThat(firstToken.get("tokens")).hasSize(1);
    JsonNode everyToken = WireJson.MAPPER.readTree(ok(api("token", "list", "--json")).stdout());
    assertThat(everyToken.get("tokens").size()).isGreaterThan(0);
    assertThat(everyToken.has("next")).isFalse();
    assertThat(everyToken.get("tokens").get(0)).isEqualTo(firstToken.get("tokens").get(0));
  }

  /** The cursor standard error names when {@code --limit} stopped before the list's end. */
  private static String cursor(Cli.Result stopped, String things) {
    java.util.regex.Matcher more =
        java.util.regex.Pattern.compile("more " + things + ": add --after (\\S+)")
            .matcher(stopped.err());
    assertThat(more.find()).as(stopped.err()).isTrue();
    return more.group(1);
  }

  @Test
  void aDraftsArtifactIsReplacedAndTheDraftDeleted() throws Exception {
    Path image = dir.resolve("rootfs.img");
    Files.write(image, "the image".getBytes(StandardCharsets.UTF_8));
    Path manifest = manifest("1.0.0", image);
    String id =
        ok(api(
                "release",
                "create",
                "--product",
                PRODUCT,
                "--version",
                "1.0.0",
                "--manifest",
                manifest.toString(),
                "--artifact",
                image.toString()))
            .out()
            .strip();

    Cli.Result again = Cli.run(api("release", "upload", id, image.toString()));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("upload --replace " + id);
    ok(api("release", "upload", "--replace", id, image.toString()));

    assertThat(ok(api("release", "delete", id)).out()).contains("deleted release " + id);
    Cli.Result gone = Cli.run(api("release", "show", id));
    assertThat(gone.code()).isEqualTo(1);
  }

  @Test
  void anUploadOverTheProductsLimitIsNotRetriedButExplained() throws Exception {
    Path image = dir.resolve("rootfs.img");
    Files.write(image, "an image of some thirty bytes".getBytes(StandardCharsets.UTF_8));
    String id = draftDeclaring(image);
    ok(api("product", "update", PRODUCT, "--max-artifact-size", "16"));

    Cli.Result upload = Cli.run(api("release", "upload", id, image.toString()));
    assertThat(upload.code()).isEqualTo(1);
    assertThat(upload.err())
        .doesNotContain("retry with")
        .contains("sluice product update PRODUCT --max-artifact-size")
        .contains("413");

    // So much larger that the server answers and closes the connection without reading the body
    // (a sparse file: nothing written to disk); the answer still reaches the user, not a reset.
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      sparse.setLength(80L << 20);
    }
    Cli.Result closed = Cli.run(api("release", "upload", id, image.toString()));
    assertThat(closed.code()).isEqualTo(1);
    assertThat(closed.err())
        .contains("sluice product update PRODUCT --max-artifact-size")
        .contains("413");
  }

  @Test
  void aFileThatIsNotTheManifestsIsRefusedAndNothingIsKept() throws Exception {
    Path image = dir.resolve("rootfs.img");
    Files.write(image, "the image the manifest names".getBytes(StandardCharsets.UTF_8));
    String id = draftDeclaring(image);
    // Same length, other bytes: only the digest can tell.
    Files.write(image, "THE IMAGE THE MANIFEST NAMES".getBytes(StandardCharsets.UTF_8));

    Cli.Result upload = Cli.run(api("release", "upload", id, image.toString()));
    assertThat(upload.code()).isEqualTo(1);
    assertThat(upload.err())
        .contains("does not match the sha256 the manifest declares")
        .contains("nothing to retry");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ok(api("release", "show", id, "--json")).out())
                .get("artifacts"))
        .as("nothing was kept")
        .isEmpty();

    // The right file goes through, read once and checked by both sides.
    Files.write(image, "the image the manifest names".getBytes(StandardCharsets.UTF_8));
    assertThat(ok(api("release", "upload", id, image.toString())).err())
        .contains("uploaded rootfs.img");
  }

  /** A DRAFT release 1.0.0 whose manifest declares {@code image} as it is now, nothing uploaded. */
  private String draftDeclaring(Path image) throws Exception {
    Path manifest = manifest("1.0.0", image);
    return ok(api(
            "release",
            "create",
            "--product",
            PRODUCT,
            "--version",
            "1.0.0",
            "--manifest",
            manifest.toString()))
        .out()
        .strip();
  }

  private Path manifest(String version, Path file) throws Exception {
    byte[] content = Files.readAllBytes(file);
    List<Artifact> declared =
        List.of(
            new Artifact(
                new ArtifactName(file.getFileName().toString()),
                Sha256.of(content),
                content.length));
    Path out = dir.resolve("manifest-" + version + ".json");
    Files.writeString(
        out,
        ExampleManifests.valid(PRODUCT, Version.parse(version), declared).toString(),
        StandardCharsets.UTF_8);
    return out;
  }

  private String[] api(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--server");
    all.add(url);
    all.add("--token");
    all.add(admin);
    return all.toArray(String[]::new);
  }

  private static Cli.Result ok(String... args) {
    Cli.Result result = Cli.run(args);
    assertThat(result.code()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }

  private static JsonNode events(Cli.Result result) throws IOException {
    return WireJson.MAPPER.readTree(result.stdout()).get("events");
  }
}
