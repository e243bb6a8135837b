package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice token list|revoke}, {@code token create --expires-in}, the device credential
 * commands and the bulk registration's idempotency key, against a real server on a random port.
 */
class CredentialCliTest {
  @TempDir static Path dir;
  private static SluiceServer server;
  private static String url;
  private static String admin;

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
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void tokensAreListedWithoutSecretsAndRevokedById() {
    String secret =
        ok(api(
                admin,
                "token",
                "create",
                "--role",
                "auditor",
                "--label",
                "quarterly",
                "--expires-in",
                "90d"))
            .out()
            .strip();
    Cli.Result list = ok(api(admin, "token", "list"));
    assertThat(list.out()).contains("quarterly").contains("auditor").doesNotContain(secret);
    assertThat(list.out()).doesNotContain(admin);
    String line = list.out().lines().filter(l -> l.contains("quarterly")).findFirst().orElseThrow();
    assertThat(line).contains("valid").doesNotContain("never");
    String id = line.split("\\s+")[0];

    assertThat(ok(api(secret, "whoami")).out()).contains("token:" + id + "(quarterly)");
    ok(api(admin, "token", "revoke", id));
    Cli.Result refused = Cli.run(api(secret, "whoami"));
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("401");
    assertThat(ok(api(admin, "token", "list")).out()).contains("revoked");
  }

  @Test
  void badExpiriesAndReservedLabelsAreRefused() {
    Cli.Result badUnit =
        Cli.run(
            api(
                admin,
                "token",
                "create",
                "--role",
                "auditor",
                "--label",
                "x",
                "--expires-in",
                "3y"));
    assertThat(badUnit.code()).isNotZero();
    assertThat(badUnit.err()).contains("--expires-in");
    Cli.Result reserved =
        Cli.run(api(admin, "token", "create", "--role", "auditor", "--label", "system"));
    assertThat(reserved.code()).isNotZero();
    assertThat(reserved.err()).contains("reserved");
  }

  @Test
  void aBulkRegistrationRerunWithItsKeyPrintsTheSameTokens() throws IOException {
    Path file = dir.resolve("fleet.csv");
    Files.writeString(file, "controller_id,product\nidem-a,acme-gw\nidem-b,acme-gw\n");
    String key = UUID.randomUUID().toString();
    Cli.Result first =
        ok(api(admin, "device", "register", "--file", file.toString(), "--idempotency-key", key));
    Cli.Result again =
        ok(api(admin, "device", "register", "--file", file.toString(), "--idempotency-key", key));
    assertThat(again.out()).isEqualTo(first.out()).contains("idem-a,sluice_dev_");

    Path other = dir.resolve("other.csv");
    Files.writeString(other, "controller_id,product\nidem-c,acme-gw\n");
    Cli.Result reused =
        Cli.run(
            api(admin, "device", "register", "--file", other.toString(), "--idempotency-key", key));
    assertThat(reused.code()).isNotZero();
    assertThat(reused.err()).contains("409");
    Cli.Result generated = ok(api(admin, "device", "register", "--file", other.toString()));
    assertThat(generated.err()).contains("--idempotency-key");
  }

  @Test
  void tokensOfAFilteredSetAreRotatedIntoANewPrivateFileAndDevicesDecommissioned()
      throws IOException {
    ok(api(admin, "device", "register", "rot-a", "--product", "acme-gw", "--tag", "lost"));
    ok(api(admin, "device", "register", "rot-b", "--product", "acme-gw", "--tag", "lost"));
    Path out = dir.resolve("rotated.csv");
    Cli.Result rotated =
        ok(
            api(
                admin,
                "device",
                "rotate-tokens",
                "--filter",
                "tag==lost",
                "--tokens-out",
                out.toString()));
    assertThat(rotated.err()).contains("2 devices");
    assertThat(Files.readAllLines(out))
        .hasSize(3)
        .element(1)
        .asString()
        .startsWith("rot-a,sluice_dev_");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    String before = Files.readString(out);
    Cli.Result again =
        Cli.run(
            api(
                admin,
                "device",
                "rotate-tokens",
                "--filter",
                "tag==lost",
                "--tokens-out",
                out.toString()));
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("never overwritten");
    assertThat(Files.readString(out)).isEqualTo(before);
    Path none = dir.resolve("none.csv");
    Cli.Result nothing =
        Cli.run(
            api(
                admin,
                "device",
                "rotate-tokens",
                "--filter",
                "tag==nothing",
                "--tokens-out",
                none.toString()));
    assertThat(nothing.code()).isNotZero();
    assertThat(Files.exists(none)).as("no file is left behind when nothing was rotated").isFalse();

    String token = ok(api(admin, "device", "rotate-token", "rot-a")).out().strip();
    assertThat(token).startsWith("sluice_dev_");
    ok(api(admin, "device", "revoke-token", "rot-a"));
    assertThat(ok(api(admin, "device", "decommission", "rot-b")).out()).contains("rot-b");
    assertThat(ok(api(admin, "device", "count")).out().strip()).isEqualTo("1");
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
