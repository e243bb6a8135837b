package dev.sluice.cli.fleet;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * When each simulated device next wakes up: a queue of devices ordered by their due time, from
 * which a bounded set of worker threads takes the next device that is due. A device waiting costs
 * one small entry, not a sleeping thread, so a fleet of a million devices fits in a few tens of
 * MiB.
 */
final class PollSchedule {
  private final DelayQueue<Due> queue = new DelayQueue<>();

  /** Schedules device {@code index} to wake at {@code atNanos} ({@link System#nanoTime()}). */
  void wakeAt(int index, long atNanos) {
    queue.put(new Due(index, atNanos));
  }

  /**
   * Waits until a device is due and takes it off the schedule.
   *
   * @return the device's index, and how late it is taken
   */
  Due next() throws InterruptedException {
    return queue.take();
  }

  /** How many devices are waiting. */
  int size() {
    return queue.size();
  }

  /**
   * A device due at a moment.
   *
   * @param index the device's index in the fleet
   * @param atNanos when it is due ({@link System#nanoTime()})
   */
  record Due(int index, long atNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof Due due) {
        return Long.signum(atNanos - due.atNanos);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    /** How long after its due time the device is taken, at {@code nowNanos}. */
    long lateNanos(long nowNanos) {
      return Math.max(0, nowNanos - atNanos);
    }
  }
}
