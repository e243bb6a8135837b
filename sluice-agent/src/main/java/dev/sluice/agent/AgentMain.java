package dev.sluice.agent;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A minimal entry point for devices that carry only {@code sluice-agent} and {@code sluice-trust}
 * (no CLI): {@code java dev.sluice.agent.AgentMain run --state DIR [--once]}. It starts faster than
 * the full {@code sluice} command, which the crash-safety harness relies on. {@code sluice agent}
 * is the documented interface; this one only runs an initialised agent.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length < 3 || !args[0].equals("run") || !args[1].equals("--state")) {
      System.err.println("usage: AgentMain run --state DIR [--once]");
      System.exit(2);
    }
    boolean once = args.length > 3 && args[3].equals("--once");
    boolean tracing = "1".equals(System.getenv("SLUICE_AGENT_TRACE"));
    try {
      Agent agent =
          Agent.create(
              StateDir.open(Path.of(args[2])),
              Clock.systemUTC(),
              out::println,
              point -> {
                if (tracing) {
                  out.println("@trace " + point);
                }
              });
      Agent.Outcome outcome = agent.run(once, Duration.ofSeconds(60));
      System.exit(outcome == Agent.Outcome.FAILED || outcome == Agent.Outcome.RETRY ? 1 : 0);
    } catch (AgentException e) {
      System.err.println("sluice agent: " + e.getMessage());
      System.exit(1);
    }
  }
}
