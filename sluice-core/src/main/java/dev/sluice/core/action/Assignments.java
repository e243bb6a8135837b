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
   * Assigns the longest leading run of {@code actions} (all of one release, one per device) that
   * {@link #assign} would assign without refusing or cancelling anything: each device exists, is in
   * service, runs the release's product and has no open action. The rows, status changes and audit
   * events are those of {@link #assign} of each in list order; the statements are a constant number
   * for the run, not a dozen per device. Assigns nothing if the release cannot be assigned.
   *
   * @return the run's actions, in list order; the caller hands the next action (if any) to {@link
   *     #assign}, which refuses it with its reason or cancels the device's open action first
   */
  java.util.List<Action> assignLeading(R repos, java.util.List<NewAction> actions, Instant at);

  /**
   * Cancels an open action: at once if the device has not fetched it yet, else by asking the device
   * through DDI cancelAction ({@link ActionStatus#CANCELING}). Does nothing to a closed action.
   */
  Action cancel(R repos, ActionId id, String reason, Instant at);

  /** Marks an open action failed (e.g. the device went silent past the in-progress timeout). */
  Action fail(R repos, ActionId id, String reason, Instant at);
}
