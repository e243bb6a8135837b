package dev.sluice.core.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequencerLoopTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final ManualScheduler time = new ManualScheduler();
  private final List<Instant> runs = new ArrayList<>();
  private final List<RuntimeException> failures = new ArrayList<>();
  private int waiting;
  private SequencerLoop loop;

  @BeforeEach
  void startLoop() {
    loop =
        new SequencerLoop(
            () -> {
              runs.add(time.instant());
              boolean advanced = waiting > 0;
              waiting = 0;
              return advanced;
            },
            time,
            time,
            SECOND,
            failures::add);
    loop.start();
    time.runDue();
    runs.clear();
  }

  private void append() {
    waiting++;
    loop.wake();
  }

  /** Regression: a run once read the clock twice and, on a fine clock, rescheduled forever. */
  @Test
  @org.junit.jupiter.api.Timeout(
      value = 10,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aClockThatAdvancesOnEveryReadingStillRunsTheStep() {
    java.time.Clock creeping =
        new java.time.Clock() {
          private Instant now = Instant.parse("2026-01-01T00:00:00Z");

          @Override
          public synchronized Instant instant() {
            now = now.plusNanos(1);
            return now;
          }

          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    ManualScheduler scheduler = new ManualScheduler();
    List<Integer> ran = new ArrayList<>();
    SequencerLoop fine =
        new SequencerLoop(
            () -> {
              ran.add(1);
              return true;
            },
            scheduler,
            creeping,
            SECOND,
            failures::add);
    fine.start();
    scheduler.runDue();
    assertThat(ran).hasSize(1);
    assertThat(failures).isEmpty();
  }

  @Test
  void anAppendToAnIdleLogIsSequencedAtOnce() {
    time.advance(Duration.ofMillis(1500));
    runs.clear();

    append();
    time.runDue();

    assertThat(runs).containsExactly(time.instant());
  }

  @Test
  void appendsWithinOneIntervalShareTheNextRun() {
    time.advance(Duration.ofSeconds(5));
    runs.clear();
    append();
    time.runDue(); // the first one goes at once
    Instant first = time.instant();

    time.advance(Duration.ofMillis(100));
    append();
    time.advance(Duration.ofMillis(100));
    append();
    append();
    time.runDue();
    assertThat(runs).containsExactly(first); // not yet: one checkpoint per second at most

    time.advance(Duration.ofMillis(800));
    assertThat(runs).containsExactly(first, first.plus(SECOND));
    assertThat(waiting).isZero();
  }

  @Test
  void withoutAppendsItStillPollsEveryInterval() {
    Instant start = time.instant();
    time.advance(SECOND);
    time.advance(SECOND);
    time.advance(SECOND);

    assertThat(runs)
        .containsExactly(
            start.plus(SECOND),
            start.plus(SECOND.multipliedBy(2)),
            start.plus(SECOND.multipliedBy(3)));
  }

  @Test
  void aFailedRunIsReportedAndTheLoopGoesOn() {
    SequencerLoop failing =
        new SequencerLoop(
            () -> {
              runs.add(time.instant());
              throw new IllegalStateException("database down");
            },
            time,
            time,
            SECOND,
            failures::add);
    runs.clear();
    loop.close();
    failing.start();
    time.runDue();
    time.advance(SECOND);

    assertThat(failures).hasSize(2).allMatch(e -> e.getMessage().equals("database down"));
    assertThat(runs).hasSize(2);
  }

  @Test
  void aClosedLoopNeverRunsAgain() {
    loop.close();
    append();
    time.advance(Duration.ofSeconds(10));

    assertThat(runs).isEmpty();
    assertThat(time.nextDue()).isEmpty();
  }
}
