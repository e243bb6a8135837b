package dev.sluice.core.action;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded report about an action: what the device sent (its DDI feedback body, cut to {@link
 * ActionService#MAX_STORED_FEEDBACK} characters) or what the server observed (an artifact served).
 *
 * @param seq its order among all recorded reports
 * @param at when it was received
 * @param execution the DDI execution ({@code closed}, {@code proceeding}, ...), prefixed {@code
 *     cancel-} for cancel feedback, {@code confirmation-} for consent answers, or {@link
 *     ActionService#SERVER_DOWNLOAD}
 * @param result the DDI result ({@code success}, {@code failure}, {@code none})
 * @param body the body as received (possibly cut), or the server's note
 */
public record ActionFeedback(long seq, Instant at, String execution, String result, String body) {
  public ActionFeedback {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(body, "body");
  }

  /** Whether the server, not the device, recorded it. */
  public boolean fromServer() {
    return execution.startsWith("server-");
  }
}
