package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;

/** Asks a webhook gate whether the next stage may start (implemented over HTTP by the server). */
@FunctionalInterface
public interface GateCheck {

  /**
   * POSTs {@code payload}; never throws for a failed call, it is a refusal with a reason. Returns
   * within {@link #longestCall()}.
   */
  Reply ask(URI url, JsonNode payload);

  /**
   * The longest one {@link #ask} can take, every timeout included. The evaluator holds its lease on
   * the rollout at least this long while it waits, so a slow webhook is not asked again by another
   * instance meanwhile, nor its reply thrown away.
   */
  default Duration longestCall() {
    return Duration.ofSeconds(1);
  }

  /**
   * What the webhook answered.
   *
   * @param approved whether it answered 2xx
   * @param summary the status and the start of the body, or why the call failed
   */
  record Reply(boolean approved, String summary) {}

  /** For servers without webhook support: every webhook gate stays closed. */
  GateCheck NONE = (url, payload) -> new Reply(false, "webhook gates are not available");
}
