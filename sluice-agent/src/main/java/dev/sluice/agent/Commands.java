package dev.sluice.agent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the owner's commands ({@code --installer}, {@code --health-cmd}) through {@code /bin/sh -c},
 * with extra arguments passed as {@code "$@"} (never spliced into the command text) and extra
 * environment variables. Their output goes to the agent's own output.
 */
final class Commands {
  private Commands() {}

  /** Runs {@code command args...} and returns its exit status (127 if it could not start). */
  static int run(String command, Map<String, String> env, String[] args) {
    List<String> argv =
        new ArrayList<>(List.of("/bin/sh", "-c", command + " \"$@\"", "sluice-agent"));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
    builder.environment().putAll(env);
    try {
      return builder.start().waitFor();
    } catch (IOException e) {
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
