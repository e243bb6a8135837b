package dev.sluice.cli.serve;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for SIGTERM or SIGINT and holds the JVM's shutdown until the server has closed, so that a
 * signal stops the server cleanly instead of cutting it off mid-request.
 */
public final class ShutdownSignal implements AutoCloseable {
  private static final long CLOSE_GRACE_SECONDS = 30;
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ShutdownSignal() {}

  /** Registers the JVM shutdown hook; call {@link #close} once the server is closed. */
  public static ShutdownSignal install() {
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signal.requested.countDown();
                  try {
                    // The JVM halts when the hooks return: wait for the server to close cleanly.
                    signal.stopped.await(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sluice-shutdown"));
    return signal;
  }

  /** Blocks until a stop is requested. */
  public void await() throws InterruptedException {
    requested.await();
  }

  @Override
  public void close() {
    stopped.countDown();
  }
}
