package dev.sluice.cli.serve;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for SIGTERM or SIGINT and holds the JVM's shutdown until the server has closed (it lets
 * requests in flight finish for up to its grace period), so that a signal stops the server cleanly
 * instead of cutting it off mid-request. A clean stop exits with status 0, not the 143 of a JVM
 * ended by SIGTERM: the stop was asked for and done. A server that never started (a busy port, a
 * missing passphrase) keeps the exit status its command chose: the hook forces 0 only after {@link
 * #await} returned, that is after a signal stopped a running server.
 */
public final class ShutdownSignal implements AutoCloseable {
  /** Time beyond the drain for the jobs, the log sequencer and the database to close. */
  private static final long CLOSE_MARGIN_SECONDS = 30;

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean signalled;

  private ShutdownSignal() {}

  /** Registers the JVM shutdown hook; call {@link #close} once the server is closed. */
  public static ShutdownSignal install() {
    return install(java.time.Duration.ZERO);
  }

  /** {@link #install()} for a server that drains requests for up to {@code grace}. */
  public static ShutdownSignal install(java.time.Duration grace) {
    long wait = grace.toSeconds() + CLOSE_MARGIN_SECONDS;
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signal.requested.countDown();
                  try {
                    // The JVM halts when the hooks return: wait for the server to close cleanly.
                    if (signal.stopped.await(wait, TimeUnit.SECONDS) && signal.signalled) {
                      System.err.flush();
                      System.out.flush();
                      Runtime.getRuntime().halt(0);
                    }
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
    signalled = true;
  }

  @Override
  public void close() {
    stopped.countDown();
  }
}
