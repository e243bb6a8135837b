package dev.sluice.server.testing.swupdate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a process and every process it started (swupdate forks its suricatta and helpers). */
final class ProcessTree {
  private ProcessTree() {}

  /** Asks politely (SIGTERM), then forcibly; returns once all of them have exited. */
  static void kill(Process process, Duration grace) {
    List<ProcessHandle> tree =
        java.util.stream.Stream.concat(
                process.descendants(), java.util.stream.Stream.of(process.toHandle()))
            .toList();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      if (!awaitExit(handle, grace)) {
        handle.destroyForcibly();
        if (!awaitExit(handle, grace) && !isZombie(handle)) {
          throw new IllegalStateException("process " + handle.pid() + " survived SIGKILL");
        }
      }
    }
  }

  /**
   * Whether the process has exited but not been reaped. A killed grandchild is re-parented to the
   * machine's init, and in a container that init may never reap it; it then stays "alive" to Java
   * although it runs no more.
   */
  private static boolean isZombie(ProcessHandle handle) {
    try {
      String stat =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + handle.pid() + "/stat"));
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (java.io.IOException e) {
      return !handle.isAlive();
    }
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping process " + handle.pid(), e);
    }
  }
}
