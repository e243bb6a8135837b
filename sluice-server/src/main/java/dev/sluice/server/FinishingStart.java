package dev.sluice.server;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The part of a start that runs once the server listens: the transparency log waits for its key
 * (PBKDF2, about half a second of a core) and starts, then the periodic jobs start. Until it has
 * finished, {@code /api/v1/ready} answers 503 and other requests wait for it ({@link
 * dev.sluice.server.http.Starting}); {@link #await()} joins it and throws what it failed with.
 */
final class FinishingStart implements AutoCloseable {
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Thread thread;

  /** Completes when the start has finished, exceptionally with what it failed with. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Runs {@code work} on a platform thread of its own (PBKDF2 would pin a virtual thread). */
  void run(Runnable work) {
    Objects.requireNonNull(work, "work");
    if (thread != null) {
      throw new IllegalStateException("the start is already being finished");
    }
    thread =
        Thread.ofPlatform()
            .name("sluice-start")
            .daemon()
            .start(
                () -> {
                  try {
                    work.run();
                    done.complete(null);
                  } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                  }
                });
  }

  /** Why the server is not ready because of this: empty once the start has finished. */
  Optional<String> notReady() {
    if (!done.isDone()) {
      return Optional.of("the transparency log is being started (its key is being opened)");
    }
    if (done.isCompletedExceptionally()) {
      return Optional.of("the server could not finish its start: " + failure().getMessage());
    }
    return Optional.empty();
  }

  /**
   * Waits for the start to finish.
   *
   * @throws StartupException (or what else the start threw) if it failed: a wrong passphrase, an
   *     altered log key, a database whose log belongs to another key
   */
  void await() {
    try {
      done.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException cause -> throw cause;
        case Error cause -> throw cause;
        default -> throw new StartupException("the start failed: " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while the start was being finished", e);
    }
  }

  /** Waits for the thread, so that the layers below close only once it no longer uses them. */
  @Override
  public void close() {
    Thread running = thread;
    if (running == null) {
      return;
    }
    try {
      running.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Throwable failure() {
    try {
      done.get();
      throw new IllegalStateException("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }
}
