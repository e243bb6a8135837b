package dev.sluice.server.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A system program a test needs (swupdate, rauc, nginx, chromium, openssl...), found on the {@code
 * PATH} or at a known place. Where it is missing the test is skipped on a developer machine, saying
 * which Debian package provides it; it fails instead where the build must run the test: the {@code
 * CI} environment variable is set (and not "false"), or the suite's own {@code SLUICE_*_REQUIRED}
 * variable is {@code true} ({@code .ci/run} sets them and installs the packages).
 */
public final class RequiredTool {
  private RequiredTool() {}

  /** The program on the {@code PATH}, or a skip / failure naming its Debian package. */
  public static Path onPath(String program, String debianPackage, String requiredEnv) {
    return find(program).orElseGet(() -> missing(program, debianPackage, requiredEnv));
  }

  /** The first of {@code candidates} that is executable, else the program on the {@code PATH}. */
  public static Path at(List<Path> candidates, String debianPackage, String requiredEnv) {
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String program = candidates.getFirst().getFileName().toString();
    return find(program).orElseGet(() -> missing(program, debianPackage, requiredEnv));
  }

  /** Whether a missing tool fails the build instead of skipping the test. */
  public static boolean required(String requiredEnv) {
    String ci = System.getenv("CI");
    return (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"))
        || "true".equalsIgnoreCase(System.getenv(requiredEnv));
  }

  /** Skips the test (or fails it, where required) because of {@code why}. */
  public static void unavailable(String why, String requiredEnv) {
    if (required(requiredEnv)) {
      fail(why + ", and this test is required here (CI or " + requiredEnv + "=true)");
    }
    assumeTrue(false, why + "; skipping");
  }

  /** The program on the {@code PATH}, if it is there. */
  public static Optional<Path> find(String program) {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    for (String dir : dirs) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static Path missing(String program, String debianPackage, String requiredEnv) {
    unavailable(
        "'" + program + "' is not installed (Debian: apt-get install " + debianPackage + ")",
        requiredEnv);
    throw new AssertionError("unreachable");
  }
}
