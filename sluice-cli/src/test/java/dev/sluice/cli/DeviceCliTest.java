package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice device} against a real server on a random port. */
class DeviceCliTest {
  @TempDir static Path dir;
  private static SluiceServer server;
  private static String url;
  private static String admin;
  private static String operator;
  private static String auditor;

  @BeforeAll
  static void startServerWithAProduct() {
    server = SluiceServer.start(ServerConfig.builder(dir.resolve("data")).port(0).build());
    url = server.baseUri().toString();
    admin = server.bootstrapAdminToken().orElseThrow();
    ok("keys", "generate", "--out", dir.resolve("lab.key").toString());
    ok(
        api(
            admin,
            "certifier",
            "add",
            "--id",
            "lab",
            "--name",
            "Lab",
            "--key",
            dir.resolve("lab.key") + ".pub"));
    ok(
        api(
            admin,
            "product",
            "create",
            "--name",
            "acme-gw",
            "--certifier",
            "lab",
            "--threshold",
            "1"));
    operator =
        ok(api(admin, "token", "create", "--role", "operator", "--label", "ops")).out().strip();
    auditor =
        ok(api(admin, "token", "create", "--role", "auditor", "--label", "aud")).out().strip();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void registerPrintsTheGeneratedTokenOnceAndShowDoesNot() {
    Cli.Result registered =
        ok(
            api(
                operator,
                "device",
                "register",
                "gw-1",
                "--product",
                "acme-gw",
                "--tag",
                "eu",
                "--tag",
                "beta"));
    String token = registered.out().strip();
    assertThat(token).startsWith("sluice_dev_");
    assertThat(registered.err()).contains("registered device gw-1").contains("not be shown again");

    Cli.Result shown = ok(api(auditor, "device", "show", "gw-1"));
    assertThat(shown.out())
        .contains("gw-1")
        .contains("acme-gw")
        .contains("beta, eu")
        .contains("never");
    assertThat(shown.out()).doesNotContain(token);
    JsonNode json =
        CanonicalJson.parse(ok(api(auditor, "device", "show", "gw-1", "--json")).stdout());
    assertThat(json.get("status").asText()).isEqualTo("unknown");
  }

  @Test
  void anOwnTokenIsAcceptedAndNotPrinted() {
    Cli.Result registered =
        ok(
            api(
                operator,
                "device",
                "register",
                "gw-own",
                "--product",
                "acme-gw",
                "--device-token",
                "my-own-token-123456789"));
    assertThat(registered.out()).isEmpty();
    assertThat(registered.err()).contains("uses the token you gave");
  }

  @Test
  void bulkRegistrationWritesTokensToAPrivateFileAndListFilters() throws IOException {
    StringBuilder csv = new StringBuilder("controller_id,product,tags\n");
    for (int i = 0; i < 30; i++) {
      csv.append("bulk-")
          .append(String.format("%02d", i))
          .append(",acme-gw,")
          .append(i < 10 ? "lab;eu" : "us")
          .append('\n');
    }
    Path file = dir.resolve("fleet.csv");
    Files.writeString(file, csv);
    Path tokens = dir.resolve("tokens.csv");

    Cli.Result bulk =
        ok(
            api(
                operator,
                "device",
                "register",
                "--file",
                file.toString(),
                "--tokens-out",
                tokens.toString()));

    assertThat(bulk.err()).contains("registered 30 devices; 30 generated tokens written to");
    assertThat(bulk.out()).isEmpty();
    List<String> lines = Files.readAllLines(tokens);
    assertThat(lines).hasSize(31).first().isEqualTo("controller_id,token");
    assertThat(lines.get(1)).startsWith("bulk-00,sluice_dev_");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)))
        .isEqualTo("rw-------");

    Cli.Result listed =
        ok(api(auditor, "device", "list", "--filter", "tag==lab;id==bulk-*", "--limit", "4"));
    assertThat(listed.out())
        .contains("CONTROLLER ID")
        .contains("bulk-00")
        .contains("bulk-03")
        .doesNotContain("bulk-04");
    java.util.regex.Matcher more =
        java.util.regex.Pattern.compile("more devices: add --after (\\S+)").matcher(listed.err());
    assertThat(more.find()).as(listed.err()).isTrue();
    assertThat(more.group(1)).as("an opaque cursor, not the controller id").isNotEqualTo("bulk-03");
    Cli.Result next =
        ok(
            api(
                auditor,
                "device",
                "list",
                "--filter",
                "tag==lab;id==bulk-*",
                "--after",
                more.group(1),
                "--json"));
    assertThat(CanonicalJson.parse(next.stdout()).get("devices").size()).isEqualTo(6);
    assertThat(ok(api(auditor, "device", "count", "--filter", "tag==us")).out().strip())
        .isEqualTo("20");

    Cli.Result again =
        Cli.run(
            api(
                operator,
                "device",
                "register",
                "--file",
                file.toString(),
                "--tokens-out",
                tokens.toString()));
    assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("never overwritten");
  }

  @Test
  void aBadFileIsRefusedListingEveryBadRow() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file,
        "[{\"controller_id\":\"j-ok\",\"product\":\"acme-gw\"},{\"controller_id\":\"j bad\",\"product\":\"acme-gw\"},"
            + "{\"controller_id\":\"j-2\",\"product\":\"nope\"}]");

    Cli.Result refused = Cli.run(api(operator, "device", "register", "--file", file.toString()));

    assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err())
        .contains("2 of 3 rows are invalid")
        .contains("/1")
        .contains("/2")
        .contains("no product 'nope'");
    assertThat(Cli.run(api(auditor, "device", "show", "j-ok")).code()).isEqualTo(ExitCodes.FAILURE);
  }

  @Test
  void tagAddsAndRemoves() {
    ok(api(operator, "device", "register", "gw-tag", "--product", "acme-gw", "--tag", "old"));
    Cli.Result tagged =
        ok(api(operator, "device", "tag", "gw-tag", "--add", "new", "--remove", "old"));
    assertThat(tagged.out()).contains("tags        new");
    assertThat(Cli.run(api(operator, "device", "tag", "gw-tag")).code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void usageMistakesAndBadFiltersFailClearly() throws Exception {
    Cli.Result noProduct = Cli.run(api(operator, "device", "register", "x"));
    assertThat(noProduct.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noProduct.err()).contains("--product");
    Files.writeString(dir.resolve("x.txt"), "controller_id\nx\n");
    Cli.Result wrongType =
        Cli.run(api(operator, "device", "register", "--file", dir.resolve("x.txt").toString()));
    assertThat(wrongType.code()).isEqualTo(ExitCodes.USAGE);
    Cli.Result badFilter = Cli.run(api(auditor, "device", "list", "--filter", "tag=~x"));
    assertThat(badFilter.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(badFilter.err()).contains("position 4");
    Cli.Result forbidden = Cli.run(api(auditor, "device", "register", "y", "--product", "acme-gw"));
    assertThat(forbidden.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(forbidden.err()).contains("403");
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
