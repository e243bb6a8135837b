package dev.sluice.cli.fleet;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the device threads to stop (they check {@link #stopped()} between polls and are interrupted
 * out of their sleeps), and wakes the one thread that watches the run.
 */
final class StopSignal {
  private final CountDownLatch latch = new CountDownLatch(1);

  void stop() {
    latch.countDown();
  }

  boolean stopped() {
    return latch.getCount() == 0;
  }

  /**
   * Waits {@code duration} unless stopped first.
   *
   * @return whether the signal was given (the caller should stop)
   */
  boolean await(Duration duration) throws InterruptedException {
    return latch.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  }
}
