package dev.sluice.server.logging;

import dev.sluice.core.audit.AuditEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one log line for every committed audit event (logger {@code sluice.audit}): INFO for what
 * an operator acts on (publish, revoke, rollout halt and finish, deletions, settings), DEBUG for
 * per-device events, which come by the thousand during a rollout or an import.
 */
public final class AuditLines implements Consumer<AuditEvent> {
  private static final Logger LOG = LoggerFactory.getLogger("sluice.audit");

  @Override
  public void accept(AuditEvent event) {
    if (perDevice(event.action())) {
      if (LOG.isDebugEnabled()) {
        LOG.debug(line(event), event.detail());
      }
    } else {
      LOG.info(line(event), event.detail());
    }
  }

  static boolean perDevice(String action) {
    return action.startsWith("action.")
        || action.equals("device.registered")
        || action.equals("device.tagged");
  }

  private static String line(AuditEvent event) {
    return event.action() + " " + event.subject() + " by " + event.actor() + " {}";
  }
}
