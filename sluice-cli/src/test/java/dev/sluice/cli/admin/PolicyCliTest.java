package dev.sluice.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.Cli;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endorsed changes through the {@code sluice} command against a real server: key changes signed
 * locally with a current key, and a policy change proposed by the admin and signed by certifiers.
 */
class PolicyCliTest {
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
    for (String lab : List.of("lab-a", "lab-b")) {
      ok("keys", "generate", "--out", key(lab).toString());
      ok(api(admin, "certifier", "add", "--id", lab, "--name", lab, "--key", key(lab) + ".pub"));
    }
    ok(
        api(
            admin,
            "product",
            "create",
            "--name",
            PRODUCT,
            "--certifier",
            "lab-a,lab-b",
            "--threshold",
            "2"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aKeyIsAddedAndRevokedOnlyWithTheCertifiersOwnSignature() {
    ok("keys", "generate", "--out", key("lab-a-2").toString());
    ok("keys", "generate", "--out", key("mallory").toString());

    Cli.Result forged =
        Cli.run(
            api(
                admin,
                "certifier",
                "add-key",
                "lab-a",
                "--key",
                key("mallory") + ".pub",
                "--endorse-key",
                key("mallory").toString()));
    assertThat(forged.code()).as(forged.toString()).isNotZero();
    assertThat(forged.err()).contains("not a current key of certifier 'lab-a'");

    Cli.Result added =
        ok(
            api(
                admin,
                "certifier",
                "add-key",
                "lab-a",
                "--key",
                key("lab-a-2") + ".pub",
                "--endorse-key",
                key("lab-a").toString()));
    assertThat(added.out()).contains("version    2");
    String oldKeyId = keyId("lab-a");
    ok(
        api(
            admin,
            "certifier",
            "revoke-key",
            "lab-a",
            "--key-id",
            oldKeyId,
            "--endorse-key",
            key("lab-a").toString()));
    Cli.Result shown = ok(api(admin, "certifier", "show", "lab-a"));
    assertThat(shown.out()).doesNotContain(oldKeyId).contains("version    3");

    Cli.Result policy = ok(api(admin, "product", "policy", "show", PRODUCT));
    assertThat(policy.out()).contains("key-added", "key-revoked", "sequence 3");
  }

  @Test
  void aPolicyChangeIsProposedSignedByTheCurrentThresholdAndThenInForce() {
    String labA = certifierToken("lab-a");
    Cli.Result proposed =
        ok(api(admin, "product", "policy", "propose", PRODUCT, "--threshold", "1"));
    assertThat(proposed.out()).contains("threshold 1 of lab-a, lab-b");

    Cli.Result statement = ok(api(labA, "product", "policy", "statement", PRODUCT));
    JsonNode parsed = CanonicalJson.parse(statement.out().strip().getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.get("threshold").asInt()).isEqualTo(1);

    Cli.Result first =
        ok(api(labA, "product", "policy", "sign", PRODUCT, "--key", key("lab-a").toString()));
    assertThat(first.out()).contains("waiting");
    Cli.Result wrongKey =
        Cli.run(
            api(
                admin,
                "product",
                "policy",
                "sign",
                PRODUCT,
                "--certifier",
                "lab-b",
                "--key",
                key("lab-a").toString()));
    assertThat(wrongKey.code()).isNotZero();
    Cli.Result second =
        ok(
            api(
                admin,
                "product",
                "policy",
                "sign",
                PRODUCT,
                "--certifier",
                "lab-b",
                "--key",
                key("lab-b").toString()));
    assertThat(second.out()).contains("applied");

    assertThat(ok(api(admin, "product", "show", PRODUCT)).out()).contains("1 of lab-a, lab-b");
    assertThat(ok(api(admin, "product", "policy", "show", PRODUCT)).out())
        .contains("policy-changed", "threshold  1 of 2");
  }

  @Test
  void aProductCanBeCreatedWithSecurityUpdatesThatOwnersMayNotDefer() {
    ok(
        api(
            admin,
            "product",
            "create",
            "--name",
            "acme-watch",
            "--certifier",
            "lab-a",
            "--threshold",
            "1",
            "--security-updates-not-deferrable"));
    JsonNode shown =
        CanonicalJson.parse(
            ok(api(admin, "product", "show", "acme-watch", "--json"))
                .out()
                .getBytes(StandardCharsets.UTF_8));
    assertThat(shown.get("security_updates_deferrable").asBoolean()).isFalse();
    JsonNode defaulted =
        CanonicalJson.parse(
            ok(api(admin, "product", "show", PRODUCT, "--json"))
                .out()
                .getBytes(StandardCharsets.UTF_8));
    assertThat(defaulted.get("security_updates_deferrable").asBoolean()).isTrue();
  }

  private String keyId(String name) {
    return dev.sluice.trust.key.KeyFiles.readPublic(Path.of(key(name) + ".pub")).keyId();
  }

  private String certifierToken(String lab) {
    return ok(api(
            admin, "token", "create", "--role", "certifier", "--label", lab, "--certifier", lab))
        .out()
        .strip();
  }

  private Path key(String name) {
    return dir.resolve(name + ".key");
  }

  private String[] api(String token, String... args) {
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
