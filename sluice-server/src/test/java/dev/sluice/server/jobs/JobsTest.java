package dev.sluice.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobsTest {
  private static final Duration OFTEN = Duration.ofMillis(5);

  @Test
  void aRunThatThrowsDoesNotStopTheJob() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(1);
    try (Jobs jobs = new Jobs()) {
      jobs.start(
          PeriodicJob.every(
              OFTEN,
              "flaky",
              () -> {
                if (runs.incrementAndGet() < 3) {
                  throw new IllegalStateException("the database is away");
                }
                third.countDown();
              }));
      assertThat(third.await(30, TimeUnit.SECONDS)).as("the third run happened").isTrue();
    }
    assertThat(runs.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void anErrorThrownByARunDoesNotStopTheJobEither() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch second = new CountDownLatch(1);
    try (Jobs jobs = new Jobs()) {
      jobs.start(
          PeriodicJob.every(
              OFTEN,
              "asserting",
              () -> {
                if (runs.incrementAndGet() == 1) {
                  throw new AssertionError("a broken invariant");
                }
                second.countDown();
              }));
      assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closeLetsTheRunInProgressFinishAndStartsNoOther() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    Jobs jobs = new Jobs();
    jobs.start(
        PeriodicJob.every(
                OFTEN,
                "slow",
                () -> {
                  runs.incrementAndGet();
                  started.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  finished.set(true);
                })
            .firstAfter(Duration.ZERO));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = Thread.ofPlatform().start(jobs::close);
    release.countDown();
    closer.join();
    assertThat(finished).as("the run in progress finished").isTrue();
    int afterClose = runs.get();
    assertThat(afterClose).isEqualTo(1);
    assertThatThrownBy(() -> jobs.start(PeriodicJob.every(OFTEN, "late", () -> {})))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
  }

  @Test
  void aJobThatRunsOnCloseRunsOnceMoreAfterItsLastPeriodicRun() {
    AtomicInteger runs = new AtomicInteger();
    Jobs jobs = new Jobs();
    jobs.start(
        PeriodicJob.every(Duration.ofHours(1), "flush", runs::incrementAndGet).alsoOnClose());
    jobs.start(PeriodicJob.every(Duration.ofHours(1), "quiet", runs::incrementAndGet));
    jobs.close();
    assertThat(runs.get()).as("only the flush ran, once").isEqualTo(1);
  }

  @Test
  void twoJobsCannotShareAName() {
    try (Jobs jobs = new Jobs()) {
      jobs.start(PeriodicJob.every(Duration.ofHours(1), "blob-gc", () -> {}));
      assertThatThrownBy(
              () -> jobs.start(PeriodicJob.every(Duration.ofHours(1), "blob-gc", () -> {})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blob-gc");
      assertThat(jobs.names()).containsExactly("blob-gc");
    }
  }

  @Test
  void aJobNeedsAUsableNameAndAPositivePeriod() {
    assertThatThrownBy(() -> PeriodicJob.every(Duration.ZERO, "gc", () -> {}))
        .hasMessageContaining("period of gc must be positive");
    assertThatThrownBy(() -> PeriodicJob.every(OFTEN, "Blob GC", () -> {}))
        .hasMessageContaining("job name");
    assertThatThrownBy(
            () -> PeriodicJob.every(OFTEN, "gc", () -> {}).firstAfter(Duration.ofSeconds(-1)))
        .hasMessageContaining("first run of gc");
  }
}
