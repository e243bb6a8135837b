package dev.sluice.server.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tuf-js — a TUF client nobody here wrote — as a separate Node.js process against a TUF
 * repository served over HTTP. The npm project lives in {@code src/test/tuf-js} and is installed
 * once per test run into {@code target/tuf-js} from its lock file.
 */
final class TufJsClient {
  private static final Path SOURCE = Path.of("src/test/tuf-js");
  private static final Path INSTALL = Path.of("target/tuf-js");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static boolean installed;

  /** What one run of the client reported. */
  record Result(int exitCode, JsonNode report, String stderr) {
    boolean ok() {
      return exitCode == 0 && report.path("ok").asBoolean(false);
    }

    String error() {
      return report.path("error").asText("") + ": " + report.path("message").asText("");
    }

    @Override
    public String toString() {
      return "exit " + exitCode + " " + report + (stderr.isBlank() ? "" : " stderr: " + stderr);
    }
  }

  private final Path metadataDir;
  private final Path targetDir;

  /** A client whose trusted state lives in {@code home}, bootstrapped with {@code trustedRoot}. */
  TufJsClient(Path home, byte[] trustedRoot) throws IOException {
    install();
    this.metadataDir = Files.createDirectories(home.resolve("metadata"));
    this.targetDir = Files.createDirectories(home.resolve("targets"));
    Files.write(metadataDir.resolve("root.json"), trustedRoot);
  }

  /**
   * Refreshes from {@code metadataUrl} and downloads {@code targetPath} from {@code targetsUrl}.
   */
  Result fetch(URI metadataUrl, URI targetsUrl, String targetPath) throws Exception {
    Process process =
        new ProcessBuilder(
                List.of(
                    "node",
                    INSTALL.resolve("client.mjs").toAbsolutePath().toString(),
                    strip(metadataUrl),
                    strip(targetsUrl),
                    metadataDir.toString(),
                    targetDir.toString(),
                    targetPath))
            .redirectErrorStream(false)
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("tuf-js did not finish within 120 s");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String lastLine = out.strip().lines().reduce((a, b) -> b).orElse("{}");
    JsonNode report;
    try {
      report = MAPPER.readTree(lastLine);
    } catch (IOException e) {
      throw new IllegalStateException("tuf-js printed no JSON report: " + out + err, e);
    }
    return new Result(process.exitValue(), report, err);
  }

  byte[] downloaded(String fileName) throws IOException {
    return Files.readAllBytes(targetDir.resolve(fileName));
  }

  private static String strip(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  private static synchronized void install() throws IOException {
    if (installed) {
      return;
    }
    Files.createDirectories(INSTALL);
    for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
      Files.copy(SOURCE.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    run(List.of("node", "--version"), "Node.js >= 20.17 is needed for the tuf-js tests");
    run(
        List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"),
        "installing tuf-js with npm failed");
    installed = true;
  }

  private static void run(List<String> command, String failure) throws IOException {
    try {
      Process process =
          new ProcessBuilder(command).directory(INSTALL.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(failure + ": " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure, e);
    } catch (IOException e) {
      throw new UncheckedIOException(failure, e);
    }
  }
}
