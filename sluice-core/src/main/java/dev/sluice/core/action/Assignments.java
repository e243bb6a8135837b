package dev.sluice.core.action;

import java.time.Instant;

/**
 * Assigning releases to devices and ending assignments, as rollouts (and operators) need it. Every
 * method runs inside the caller's write transaction and tells the {@link ActionListener} of each
 * status change it makes.
 *
 * @param <R> the repositories of the caller's transaction
 */
public interface Assignments<R extends ActionPorts> {

  /**
   * Offers the release to the device. Any older open action of the device is cancelled first (a
   * device works on one action at a time).
   *
   * @throws dev.sluice.core.SluiceException.NotFound if the device or release does not exist
   * @throws dev.sluice.core.SluiceException.Conflict if the release is not PUBLISHED or is of
   *     another product than the device
   */
  Action assign(R repos, NewAction action, Instant at);

  /**
   * Cancels an open action: at once if the device has not fetched it yet, else by asking the device
   * through DDI cancelAction ({@link ActionStatus#CANCELING}). Does nothing to a closed action.
   */
  Action cancel(R repos, ActionId id, String reason, Instant at);

  /** Marks an open action failed (e.g. the device went silent past the in-progress timeout). */
  Action fail(R repos, ActionId id, String reason, Instant at);
}
