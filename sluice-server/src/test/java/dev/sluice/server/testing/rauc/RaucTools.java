package dev.sluice.server.testing.rauc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds what the RAUC tests need: {@code rauc} (Debian's 1.8, run as {@code rauc service}), {@code
 * dbus-daemon} for a private session bus, {@code gdbus} to call RAUC's D-Bus API, {@code openssl}
 * for the test CA; and root, because RAUC loop-mounts the bundle it installs. {@code .ci/run}
 * installs them. Where one is missing the test is skipped on a developer machine, but fails when
 * the build must run it: the {@code CI} environment variable is set (and not "false"), or {@code
 * SLUICE_RAUC_REQUIRED=true}.
 */
public final class RaucTools {
  static final String REQUIRED_ENV = "SLUICE_RAUC_REQUIRED";

  private RaucTools() {}

  public static Path rauc() {
    return require("rauc");
  }

  public static Path dbusDaemon() {
    return require("dbus-daemon");
  }

  public static Path gdbus() {
    return require("gdbus");
  }

  public static Path openssl() {
    return require("openssl");
  }

  /** RAUC mounts bundles (loop devices): only root may. */
  public static void requireRoot() {
    String user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      missing("the RAUC service must run as root to mount bundles (running as " + user + ")");
    }
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
      missing(
          "'"
              + program
              + "' is not on the PATH (Debian: apt-get install rauc dbus-daemon libglib2.0-bin"
              + " openssl)");
    }
    return found.orElseThrow();
  }

  private static void missing(String why) {
    if (required()) {
      fail(why + ", and the RAUC tests are required here (CI or " + REQUIRED_ENV + ")");
    }
    assumeTrue(false, why + "; skipping");
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
