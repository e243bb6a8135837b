package dev.sluice.cli.fleet;

import dev.sluice.cli.command.CommandFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a fleet for a person at a terminal: a live progress line on standard error when it is a
 * terminal, and Ctrl-C stops the fleet while the JVM waits until the summary has been reported.
 */
final class InteractiveRun {
  private InteractiveRun() {}

  /**
   * Runs the fleet, then hands the summary to {@code report} (before a Ctrl-C lets the JVM exit).
   */
  static FleetSummary run(
      FleetSimulator simulator, PrintWriter err, Consumer<FleetSummary> report) {
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = stopOnShutdown(simulator, reported);
    try {
      FleetSummary summary = runWithProgress(simulator, err);
      report.accept(summary);
      return summary;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running; it waits until the summary is out.
      }
      reported.countDown();
    }
  }

  /**
   * Whether standard error goes to a terminal, where a line rewritten after a carriage return reads
   * well. Linux tells through /proc; elsewhere, whether the JVM has a console.
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  private static Thread stopOnShutdown(FleetSimulator simulator, CountDownLatch reported) {
    Thread hook =
        new Thread(
            () -> {
              simulator.stop();
              try {
                reported.await(40, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static FleetSummary runWithProgress(FleetSimulator simulator, PrintWriter err) {
    boolean live = stderrIsTerminal();
    try {
      FleetSummary summary =
          simulator.run(
              progress -> {
                if (live) {
                  err.print("\r" + progress.line() + "\033[K");
                  err.flush();
                }
              });
      if (live) {
        err.println();
      }
      return summary;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted", e);
    }
  }
}
