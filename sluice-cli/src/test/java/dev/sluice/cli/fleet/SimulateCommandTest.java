package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sluice fleet simulate} says about a wrong command line or an absent server. */
class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void aServerThatIsNotAUrlIsAUsageError() {
    Cli.Result result =
        Cli.run("fleet", "simulate", "--server", "not a url", "--devices", "3", "--register");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--server");
  }

  @Test
  void aServerWithoutHttpSchemeIsAUsageError() {
    Cli.Result result =
        Cli.run(
            "fleet", "simulate", "--server", "ftp://127.0.0.1:1", "--devices", "3", "--register");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--server: the server URL must look like http://HOST:PORT");
  }

  @Test
  void zeroOrNegativeDevicesAreRefused() {
    for (String n : new String[] {"0", "-5"}) {
      Cli.Result result = simulate("--devices", n, "--register", "--product", "p");
      assertThat(result.code()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).contains("--devices must be 1 or more, got " + n);
    }
  }

  @Test
  void aFailureRateOutsideZeroToOneIsRefused() {
    for (String rate : new String[] {"1.5", "-0.1", "NaN"}) {
      Cli.Result result =
          simulate("--devices", "3", "--register", "--product", "p", "--failure-rate", rate);
      assertThat(result.code()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).contains("--failure-rate is a share from 0 to 1");
    }
  }

  @Test
  void aVersionsFailureRateOutsideZeroToOneIsRefused() {
    Cli.Result result =
        simulate("--devices", "3", "--register", "--product", "p", "--fail-version", "14.1.0=2");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .contains("the failure rate of version 14.1.0 is a number from 0 to 1, got 2.0");
  }

  @Test
  void aPollIntervalMustBeADuration() {
    Cli.Result result = simulate("--devices", "3", "--register", "--product", "p", "--poll", "x");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("'x' is not a duration such as 500ms, 3s, 5m or 1h");
    Cli.Result zero = simulate("--devices", "3", "--register", "--product", "p", "--poll", "0s");
    assertThat(zero.code()).as(zero.toString()).isEqualTo(2);
    assertThat(zero.err()).contains("the poll interval must be positive");
  }

  @Test
  void theConcurrencyMustBePositive() {
    Cli.Result result =
        simulate("--devices", "3", "--register", "--product", "p", "--concurrency", "0");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("the concurrency is from 1 to 100000");
  }

  @Test
  void devicesComeFromRegistrationOrATokenFile() {
    Cli.Result neither = simulate("--devices", "3");
    assertThat(neither.code()).as(neither.toString()).isEqualTo(2);
    assertThat(neither.err()).contains("give --register (with --product)");
    Cli.Result both = simulate("--devices", "3", "--gateway-token", "g", "--register");
    assertThat(both.code()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("--gateway-token speaks for the devices");
    Cli.Result noProduct = simulate("--devices", "3", "--register");
    assertThat(noProduct.code()).as(noProduct.toString()).isEqualTo(2);
    assertThat(noProduct.err()).contains("--register needs --product");
  }

  @Test
  void anAbsentServerIsReportedBeforeAnyDeviceStarts() throws IOException {
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, "sim-000000,secret-token-0\n");
    Cli.Result result =
        Cli.run(
            "fleet",
            "simulate",
            "--server",
            "http://127.0.0.1:" + freePort(),
            "--devices",
            "1",
            "--token-file",
            tokens.toString());
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("no Sluice server answers at http://127.0.0.1:");
    assertThat(result.out()).isEmpty();
  }

  private Cli.Result simulate(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "fleet";
    all[1] = "simulate";
    all[2] = "--server";
    all[3] = "http://127.0.0.1:1";
    System.arraycopy(args, 0, all, 4, args.length);
    return Cli.run(all);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
