package dev.sluice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.Cli;
import dev.sluice.cli.Main;
import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.ServerUnreachableException;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExitCodesTest {
  private static final String PROBLEM =
      """
      {"type":"about:blank","title":"Bad Request","status":400,
       "detail":"the manifest is invalid",
       "violations":[{"location":"/version","message":"must be semver"},
                     {"location":"/artifacts/0","message":"unknown artifact"}]}
      """;

  @Test
  void everyFailureHasItsDocumentedCode() {
    JsonNode problem = CanonicalJson.parse(PROBLEM.getBytes(StandardCharsets.UTF_8));
    assertThat(ExitCodes.codeFor(new ApiException(400, problem))).isEqualTo(1);
    assertThat(
            ExitCodes.codeFor(
                new ServerUnreachableException(URI.create("http://x"), new ConnectException())))
        .isEqualTo(1);
    assertThat(ExitCodes.codeFor(new UncheckedIOException(new IOException("disk full"))))
        .isEqualTo(1);
    assertThat(ExitCodes.codeFor(new CommandFailedException("no"))).isEqualTo(1);
    CommandLine sluice =
        Main.commandLine(
            new Terminal(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
    assertThat(ExitCodes.codeFor(new CommandLine.ParameterException(sluice, "bad"))).isEqualTo(2);
    assertThat(ExitCodes.OK).isZero();
    assertThat(ExitCodes.USAGE).isEqualTo(2);
    assertThat(ExitCodes.BLOCKED).isEqualTo(3);
  }

  @Test
  void aRefusalPrintsTitleDetailAndOneLinePerViolation() {
    JsonNode problem = CanonicalJson.parse(PROBLEM.getBytes(StandardCharsets.UTF_8));
    StringWriter text = new StringWriter();
    ExitCodes.report(new ApiException(400, problem), new PrintWriter(text, true));
    assertThat(text.toString().lines())
        .containsExactly(
            "sluice: the server refused (400 Bad Request): the manifest is invalid",
            "  - /version: must be semver",
            "  - /artifacts/0: unknown artifact");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Cli.Result result = Cli.run("release", "list", "--colour");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--colour'");
  }

  @Test
  void anUnreadableSizeIsAUsageError() {
    Cli.Result result =
        Cli.run(
            "product",
            "create",
            "--name",
            "p",
            "--certifier",
            "a",
            "--threshold",
            "1",
            "--max-artifact-size",
            "huge");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--max-artifact-size").contains("4GiB");
  }

  @Test
  void aServerUrlThatIsNotHttpIsAUsageError() {
    Cli.Result result = Cli.run("release", "list", "--server", "ftp://example.org");
    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("http://HOST:PORT");
  }

  @Test
  void noServerListeningSaysSoAndHowToStartOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    Cli.Result result = Cli.run("release", "list", "--server", url, "--token", "t");
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err())
        .contains("no Sluice server answers at " + url)
        .contains("sluice serve")
        .doesNotContain("Exception:");
    assertThat(result.stdout()).isEmpty();
  }
}
