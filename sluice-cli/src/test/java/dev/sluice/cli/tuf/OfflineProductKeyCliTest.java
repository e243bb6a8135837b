package dev.sluice.cli.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TufUpdater;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product's role signed offline through the {@code sluice} command against a real server: the
 * operator registers the public key, a publication waits, the holder signs it on their machine with
 * {@code sluice tuf sign-pending}, and a device installs the release.
 */
class OfflineProductKeyCliTest {
  static final String PRODUCT = "acme-phone";

  @TempDir Path dir;
  RunningServer running;
  Pipeline p;
  byte[] root1;

  @BeforeEach
  void start() {
    running = new RunningServer(dir.resolve("data"));
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    root1 = Tuf.init(p, Tuf.rootKeys(3));
    ok("keys", "generate", "--out", key("holder").toString());
    ok("keys", "generate", "--out", key("other").toString());
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void theHolderSignsThePendingPublicationOnTheirMachineAndDevicesInstallIt() {
    Cli.Result set =
        ok(api("tuf", "product-key", "set", PRODUCT, "--public-key", key("holder") + ".pub"));
    assertThat(set.out()).contains("signed offline by key " + keyId("holder"));
    Map<String, byte[]> files = Pipeline.artifacts("cli");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);

    Cli.Result published = ok(api("release", "publish", id));
    assertThat(published.out())
        .contains("waits for the offline signature of 1." + PRODUCT + ".json")
        .contains("sluice tuf sign-pending " + PRODUCT);
    assertThat(ok(api("tuf", "pending")).out()).contains(PRODUCT);

    Cli.Result wrong =
        Cli.run(api("tuf", "sign-pending", PRODUCT, "--key", key("other").toString()));
    assertThat(wrong.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(wrong.err()).contains("offline key is " + keyId("holder"));
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");

    Cli.Result dry =
        ok(api("tuf", "sign-pending", PRODUCT, "--key", key("holder").toString(), "--dry-run"));
    assertThat(dry.out()).contains("+ " + PRODUCT + "/1.0.0/system.img");
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");

    Cli.Result signed = ok(api("tuf", "sign-pending", PRODUCT, "--key", key("holder").toString()));
    assertThat(signed.out()).contains("published 1." + PRODUCT + ".json").contains(id);
    assertThat(p.release(id).get("state").asText()).isEqualTo("published");
    TufUpdater device =
        new TufUpdater(
            Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
    device.refresh();
    assertThat(device.download(device.targetInfo(PRODUCT + "/1.0.0/system.img").orElseThrow()))
        .isEqualTo(files.get("system.img"));

    // A year's validity: no warning within 30 days, one within 400.
    assertThat(ok(api("tuf", "status")).out()).contains("offline").doesNotContain("WARNING");
    assertThat(ok(api("tuf", "status", "--warn-days", "400")).out())
        .contains("WARNING: " + PRODUCT + " is signed offline");

    // Revocation: the line names what it waits for; the holder signs the removal.
    Cli.Result revoked = ok(api("release", "revoke", id, "--reason", "recalled"));
    assertThat(revoked.out()).contains("waits for the offline signature of 2." + PRODUCT);
    assertThat(ok(api("tuf", "sign-pending", PRODUCT, "--key", key("holder").toString())).out())
        .contains("published 2." + PRODUCT + ".json");
    assertThat(p.release(id).get("state").asText()).isEqualTo("revoked");

    Cli.Result online = ok(api("tuf", "product-key", "set", PRODUCT, "--online"));
    assertThat(online.out()).contains("signed online");
    assertThat(ok(api("tuf", "product-key", "show", PRODUCT)).out()).contains("online");
  }

  @Test
  void movingAProductPublishedOnlineOfflineShowsItsBinnedTargetsAsUnchanged() {
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("bins"));
    ok(api("release", "publish", id));
    ok(api("tuf", "product-key", "set", PRODUCT, "--public-key", key("holder") + ".pub"));

    // Published online, the targets were listed by hashed bins: the holder's first flat version
    // lists the same targets, so nothing is shown as added.
    Cli.Result dry =
        ok(api("tuf", "sign-pending", PRODUCT, "--key", key("holder").toString(), "--dry-run"));
    assertThat(dry.out())
        .contains("signing 2." + PRODUCT + ".json")
        .contains("(the same targets, re-signed with a new expiry)")
        .doesNotContain("+ " + PRODUCT);
  }

  private Path key(String name) {
    return dir.resolve(name).resolve(name + ".key");
  }

  private String keyId(String name) {
    return KeyFiles.readPublic(key(name)).keyId();
  }

  private String[] api(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--server", p.http.base().toString(), "--token", p.adminToken));
    return all.toArray(String[]::new);
  }

  private static Cli.Result ok(String... args) {
    Cli.Result result = Cli.run(args);
    assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
    return result;
  }
}
