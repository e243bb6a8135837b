package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** Asks a webhook gate whether the next stage may start (implemented over HTTP by the server). */
@FunctionalInterface
public interface GateCheck {

  /** POSTs {@code payload}; never throws for a failed call, it is a refusal with a reason. */
  Reply ask(URI url, JsonNode payload);

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
