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
        if (!awaitExit(handle, grace)) {
          throw new IllegalStateException("process " + handle.pid() + " survived SIGKILL");
        }
      }
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
