package dev.sluice.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.Rollout;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.fleet.FleetProgress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Follows a rollout through the management API until it ends, printing a compact line whenever its
 * stage or counters change: the live view an operator would keep open in another terminal.
 */
final class RolloutWatch {
  private static final Set<String> ENDED = Set.of("finished", "halted", "canceled");
  private static final Duration EVERY = Duration.ofMillis(500);

  private final SluiceClient client;
  private final DemoSession sh;
  private final Supplier<Optional<FleetProgress>> fleet;

  RolloutWatch(SluiceClient client, DemoSession sh, Supplier<Optional<FleetProgress>> fleet) {
    this.client = client;
    this.sh = sh;
    this.fleet = fleet;
  }

  /** Prints the rollout's progress until it is FINISHED, HALTED or CANCELED; returns it then. */
  Rollout until(String id, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    String last = "";
    while (true) {
      Rollout r = client.rollout(id);
      String line = line(r);
      if (!line.equals(last)) {
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        sh.note(String.format(Locale.ROOT, "%3ds  %s%s", seconds, line, fleetLine()));
        last = line;
      }
      if (ENDED.contains(r.state())) {
        return r;
      }
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new CommandFailedException(
            "rollout " + id + " is still " + r.state() + " after " + limit.toSeconds() + " s");
      }
      Thread.sleep(EVERY);
    }
  }

  /** E.g. {@code RUNNING stage 2/4 (10%): 90 offered, 12 open, 78 succeeded, 0 failed}. */
  static String line(Rollout r) {
    StringBuilder out = new StringBuilder(r.state().toUpperCase(Locale.ROOT));
    JsonNode stages = r.json().path("stages");
    int current = r.currentStage();
    if (current == 0) {
      return out.append(", no stage offered yet").toString();
    }
    JsonNode s = stages.path(current - 1);
    out.append(
        String.format(
            Locale.ROOT,
            " stage %d/%d (%s%%): %,d offered, %,d open, %,d succeeded, %,d failed",
            current,
            r.stageCount(),
            s.path("percent").asText("?"),
            s.path("assigned").asLong(),
            s.path("open").asLong(),
            s.path("succeeded").asLong(),
            s.path("failed").asLong()));
    long canceled = s.path("canceled").asLong();
    if (canceled > 0) {
      out.append(String.format(Locale.ROOT, ", %,d canceled", canceled));
    }
    return out.toString();
  }

  private String fleetLine() {
    return fleet
        .get()
        .map(p -> String.format(Locale.ROOT, "   [fleet: %,.0f polls/s]", p.pollsPerSecond()))
        .orElse("");
  }
}
