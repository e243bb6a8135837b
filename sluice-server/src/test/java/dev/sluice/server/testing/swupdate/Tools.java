package dev.sluice.server.testing.swupdate;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the external programs the SWUpdate tests need ({@code swupdate}, {@code swupdate-ipc},
 * {@code openssl}; {@code .ci/run} installs them). Where one is missing the test is skipped on a
 * developer machine, but fails when the build must run these tests: the {@code CI} environment
 * variable is set (and not "false"), or {@code SLUICE_SWUPDATE_REQUIRED=true}.
 */
public final class Tools {
  static final String REQUIRED_ENV = "SLUICE_SWUPDATE_REQUIRED";

  private Tools() {}

  /** The {@code swupdate} binary. */
  public static Path swupdate() {
    return require("swupdate");
  }

  /** The {@code swupdate-ipc} client (same package as swupdate). */
  public static Path swupdateIpc() {
    return require("swupdate-ipc");
  }

  /** The {@code openssl} command line tool. */
  public static Path openssl() {
    return require("openssl");
  }

  /** Whether missing tools fail the build instead of skipping the tests. */
  public static boolean required() {
    String ci = System.getenv("CI");
    return (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"))
        || "true".equalsIgnoreCase(System.getenv(REQUIRED_ENV));
  }

  private static Path require(String program) {
    Optional<Path> found = onPath(program);
    if (found.isEmpty()) {
      String why =
          "'" + program + "' is not on the PATH (Debian: apt-get install swupdate openssl)";
      if (required()) {
        fail(why + ", and the SWUpdate tests are required here (CI or " + REQUIRED_ENV + ")");
      }
      assumeTrue(false, why + "; skipping");
    }
    return found.orElseThrow();
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
