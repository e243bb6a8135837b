package dev.sluice.core.action;

import dev.sluice.core.device.ControllerId;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Device actions and the feedback devices sent about them. */
public interface ActionRepository {

  /**
   * Stores a new action in {@link ActionStatus#OFFERED} (or {@link
   * ActionStatus#WAITING_CONFIRMATION} if it requires consent) and returns it with its id.
   */
  Action insert(NewAction action, Instant at);

  /**
   * Stores new actions like {@link #insert} of each in list order (ids increase along the list),
   * with multi-row statements; returns them in the same order.
   */
  List<Action> insertAll(List<NewAction> actions, Instant at);

  Optional<Action> find(ActionId id);

  /** Like {@link #find}, locking the action's row until the transaction ends. */
  Optional<Action> findForUpdate(ActionId id);

  /** The device's open actions, oldest first. */
  List<Action> openFor(ControllerId device);

  /** Those of the devices that have an open action (one statement, not one per device). */
  java.util.Set<ControllerId> withOpenActions(java.util.Collection<ControllerId> devices);

  /** The open actions that install (or download) {@code release}, oldest first. */
  List<Action> openOfRelease(dev.sluice.core.release.ReleaseId release);

  /** A rollout's open actions. */
  List<Action> openOfRollout(String rolloutId);

  /** How many of a rollout's open actions are in each status (lowercase status names). */
  java.util.Map<String, Long> openCountsOfRollout(String rolloutId);

  /**
   * Open actions in progress (not those waiting for the owner's consent) whose status has not
   * changed since before {@code cutoff} (for time-outs).
   */
  List<Action> openUnchangedSince(Instant cutoff, int limit);

  /** The device's actions, newest first. */
  List<Action> history(ControllerId device, int limit);

  /**
   * Moves the action from {@code expected} to {@code next}; returns false (and changes nothing) if
   * it is no longer in {@code expected}.
   */
  boolean transition(
      ActionId id, ActionStatus expected, ActionStatus next, Instant at, Optional<String> message);

  /** Keeps a feedback message the device sent (for the action's history and replay checks). */
  void insertFeedback(ActionId id, Instant at, String execution, String result, String body);

  /** The action's recorded feedback, oldest first. */
  List<ActionFeedback> feedback(ActionId id);

  /**
   * Keeps only the first {@code keepFirst} and the last {@code keepLast} feedback records of the
   * action (a device cannot grow the database without bound).
   */
  void pruneFeedback(ActionId id, int keepFirst, int keepLast);

  /** Whether feedback with this execution and result was recorded for the action (replays). */
  boolean feedbackExists(ActionId id, String execution, String result);

  /**
   * Every distinct execution and result recorded for the action, as {@code "execution/result"}: one
   * statement where a device's report asked {@link #feedbackExists} up to four times (an action
   * keeps a bounded number of feedback records, see {@link #pruneFeedback}).
   */
  java.util.Set<String> feedbackKinds(ActionId id);

  /** The device's newest action in one of the given statuses (e.g. its last success). */
  Optional<Action> latestOf(ControllerId device, List<ActionStatus> statuses);

  /** A device's open actions (oldest first) and its newest succeeded action. */
  record OpenAndLastSuccess(List<Action> open, Optional<Action> lastSuccess) {
    public OpenAndLastSuccess {
      open = List.copyOf(open);
      java.util.Objects.requireNonNull(lastSuccess, "lastSuccess");
    }
  }

  /**
   * What a device's poll answer is made of: {@link #openFor} and {@link #latestOf} its last
   * success, which a store may read with one statement.
   */
  default OpenAndLastSuccess openAndLastSuccess(ControllerId device) {
    return new OpenAndLastSuccess(
        openFor(device), latestOf(device, List.of(ActionStatus.SUCCEEDED)));
  }

  /** The stored SHA-1 and MD5 of a blob, if computed before. */
  Optional<ArtifactDigests> digests(Sha256 sha256);

  /** Keeps a blob's SHA-1 and MD5 (a second save of the same blob changes nothing). */
  void saveDigests(ArtifactDigests digests);
}
