package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PollScheduleTest {

  @Test
  void devicesAreTakenInTheOrderTheyAreDueWhateverTheOrderTheyWereScheduled()
      throws InterruptedException {
    PollSchedule schedule = new PollSchedule();
    long now = System.nanoTime();
    schedule.wakeAt(7, now - 3_000);
    schedule.wakeAt(2, now - 1_000);
    schedule.wakeAt(5, now - 2_000);

    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(schedule.next().index());
    }

    assertThat(taken).containsExactly(7, 5, 2);
    assertThat(schedule.size()).isZero();
  }

  @Test
  void aDeviceIsNotTakenBeforeItIsDue() throws Exception {
    PollSchedule schedule = new PollSchedule();
    long due = System.nanoTime() + Duration.ofMillis(200).toNanos();
    schedule.wakeAt(1, due);

    PollSchedule.Due taken = schedule.next();

    assertThat(System.nanoTime() - due).isNotNegative();
    assertThat(taken.index()).isEqualTo(1);
    assertThat(taken.atNanos()).isEqualTo(due);
  }

  @Test
  void aWaitingWorkerTakesADeviceScheduledEarlierThanTheOneItWaitsFor() throws Exception {
    PollSchedule schedule = new PollSchedule();
    schedule.wakeAt(1, System.nanoTime() + Duration.ofMinutes(10).toNanos());
    CompletableFuture<PollSchedule.Due> taken = new CompletableFuture<>();
    Thread worker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.complete(schedule.next());
                  } catch (Throwable e) {
                    taken.completeExceptionally(e);
                  }
                });
    // The worker waits for device 1, ten minutes away.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> worker.getState() == Thread.State.TIMED_WAITING);

    schedule.wakeAt(2, System.nanoTime());

    assertThat(taken.get(10, TimeUnit.SECONDS).index()).isEqualTo(2);
    assertThat(schedule.size()).isEqualTo(1);
  }

  @Test
  void latenessIsHowLongAfterItsDueTimeADeviceWasTakenAndNeverNegative() {
    PollSchedule.Due due = new PollSchedule.Due(3, 1_000);

    assertThat(due.lateNanos(1_500)).isEqualTo(500);
    assertThat(due.lateNanos(900)).isZero();
  }
}
