package dev.sluice.server.testing.swupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived external program to completion, its output (stdout and stderr) in a file. */
final class ExternalCommand {
  /** Proxy variables that would send curl's requests for 127.0.0.1 to a proxy. */
  static final List<String> PROXY_VARIABLES =
      List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY");

  /** How a program ended. */
  record Result(int exitCode, String output) {}

  private ExternalCommand() {}

  static Result run(
      List<String> command, Map<String, String> env, Path outputFile, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    PROXY_VARIABLES.forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(outputFile.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.kill(process, Duration.ofSeconds(10));
        throw new IllegalStateException(
            command.get(0) + " did not finish within " + timeout + ": " + read(outputFile));
      }
      return new Result(process.exitValue(), read(outputFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  /** Runs {@code command} and fails with its output unless it exits with 0. */
  static String runOrFail(List<String> command, Path workDir, String what) {
    Result result = run(command, Map.of(), workDir.resolve(what + ".out"), Duration.ofMinutes(1));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          what + " failed (exit " + result.exitCode() + "): " + result.output());
    }
    return result.output();
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
