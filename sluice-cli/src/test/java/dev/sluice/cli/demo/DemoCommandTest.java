package dev.sluice.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path temp;

  @Test
  void demoShowsABlockedReleaseWithItsReportAndACertifiedOne() throws Exception {
    Path data = temp.resolve("demo");
    Cli.Result result = Cli.run("demo", "--data", data.toString(), "--port", "0", "--exit");
    assertThat(result.code()).as(result.toString()).isZero();
    String out = result.out();
    assertThat(out)
        .contains("sluice keys generate --out keys/lab-a.key")
        .contains("sluice product create --name acme-phone")
        .contains("sluice release check")
        .contains("network-endpoints-declared")
        .contains("(exit code 3)")
        .contains("BLOCKED")
        .contains("SLUICE_TOKEN=$LAB_A_TOKEN sluice certify")
        .contains("certified")
        .contains("release.certified")
        .contains("sluice tuf root init --threshold 2")
        .contains("installed root version 1")
        .contains("published rel_")
        .contains("only a CERTIFIED release can be published")
        .contains("OK: log sluice.local/log at size 1")
        .contains("release.published")
        .contains("/tuf/1.root.json")
        .contains("sluice device register --file")
        .contains("sluice rollout create --release")
        .contains("FINISHED, stage 3 of 3")
        .contains("HALTED (sequential-test)")
        .contains("4 failed and 0 succeeded")
        .contains("rollout.halted")
        .containsPattern("FINISHED stage by stage; rollout ro_\\w+ HALTED itself");
    // Tokens are shown as variable names, never printed.
    assertThat(out).doesNotContainPattern("sluice_[A-Za-z0-9_-]{43}");
    assertThat(out).contains("against standards acme-phone v1");
    assertThat(out.indexOf("(exit code 3)")).isLessThan(out.indexOf("SLUICE_TOKEN=$LAB_B_TOKEN"));
    assertThat(Files.getPosixFilePermissions(data.resolve("keys/lab-a.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(data.resolve("sluice.db")).exists();
  }

  @Test
  void demoRefusesADataDirectoryThatIsNotEmpty() throws Exception {
    Path data = Files.createDirectories(temp.resolve("used"));
    Files.writeString(data.resolve("something"), "x");
    Cli.Result result = Cli.run("demo", "--data", data.toString(), "--port", "0", "--exit");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("not empty");
  }
}
