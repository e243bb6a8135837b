package dev.sluice.core.action;

import dev.sluice.core.action.Feedback.Execution;
import dev.sluice.core.action.Feedback.Result;

/**
 * The action state machine: from where an action stands and what the device reports, where it goes
 * next. Pure functions; a closed action ({@link ActionStatus#isOpen()} false) never moves.
 *
 * <p>Deployment feedback:
 *
 * <ul>
 *   <li>{@code closed} with {@code failure} fails the action; with {@code success} (or {@code
 *       none}, as hawkBit reads it) a download-only action succeeds if the device downloaded the
 *       artifacts and fails if it did not; one under {@link ConfirmationPolicy#DDI_SUCCESS}
 *       succeeds; one under {@link ConfirmationPolicy#RUNNING_VERSION} succeeds if it was {@link
 *       ActionStatus#INSTALLED} (the confirmation after the restart) or the device already runs the
 *       release's version, and otherwise becomes {@link ActionStatus#AWAITING_VERSION};
 *   <li>{@code downloaded} ends a download-only action, else marks the download done;
 *   <li>{@code canceled} cancels it;
 *   <li>{@code proceeding}, {@code scheduled}, {@code resumed}, {@code download}: an offered action
 *       is now running; {@code rejected} keeps the action open (the device may accept it later).
 * </ul>
 *
 * <p>Cancel feedback ({@code cancelAction/{id}/feedback}) on a {@link ActionStatus#CANCELING}
 * action: {@code closed}/{@code canceled} with anything but failure confirms the cancel; {@code
 * rejected} or a failure means the device could not stop, and the action runs on.
 */
public final class ActionTransitions {
  private ActionTransitions() {}

  /**
   * What else the state machine needs to know about a deployment feedback.
   *
   * @param allInstalled the feedback is the "all parts installed" signal
   * @param runsReleaseVersion the device already reports the release's version as running
   * @param closedSuccessBefore a {@code closed/success} was recorded for the action before
   * @param installBlocked the action's maintenance window is closed
   * @param downloaded the device downloaded an artifact of the release for this action (served by
   *     Sluice, or reported {@code downloaded})
   */
  public record Context(
      boolean allInstalled,
      boolean runsReleaseVersion,
      boolean closedSuccessBefore,
      boolean installBlocked,
      boolean downloaded) {
    public static final Context NONE = new Context(false, false, false, false, false);

    public Context(boolean allInstalled, boolean runsReleaseVersion, boolean closedSuccessBefore) {
      this(allInstalled, runsReleaseVersion, closedSuccessBefore, false, false);
    }

    public Context(
        boolean allInstalled,
        boolean runsReleaseVersion,
        boolean closedSuccessBefore,
        boolean installBlocked) {
      this(allInstalled, runsReleaseVersion, closedSuccessBefore, installBlocked, false);
    }
  }

  /**
   * The next status after deployment feedback.
   *
   * @param context whether the feedback signals "all parts installed", whether the device already
   *     reports the release's version as running, and whether a {@code closed/success} was recorded
   *     for the action before (then another one is a replay, not a confirmation)
   */
  public static ActionStatus onDeploymentFeedback(
      ActionStatus current,
      ActionType type,
      ConfirmationPolicy policy,
      Feedback.Execution execution,
      Feedback.Result result,
      Context context) {
    if (!current.isOpen() || current.awaitsConsent()) {
      return current;
    }
    return switch (execution) {
      case CLOSED -> {
        if (result == Result.FAILURE) {
          yield ActionStatus.FAILED;
        }
        if (type == ActionType.DOWNLOAD_ONLY) {
          // hawkBit: a download-only action is done when the device holds the artifacts. A
          // closed/success without any download (SWUpdate's "Skipped Update.") is not that.
          yield context.downloaded() ? ActionStatus.SUCCEEDED : ActionStatus.FAILED;
        }
        if (context.installBlocked()
            && current != ActionStatus.INSTALLED
            && current != ActionStatus.AWAITING_VERSION) {
          yield current == ActionStatus.OFFERED ? ActionStatus.RUNNING : current;
        }
        if (policy == ConfirmationPolicy.DDI_SUCCESS || context.runsReleaseVersion()) {
          yield ActionStatus.SUCCEEDED;
        }
        if (current == ActionStatus.INSTALLED && !context.closedSuccessBefore()) {
          // The installation was reported before; this is the confirmation after the restart.
          yield ActionStatus.SUCCEEDED;
        }
        if (current == ActionStatus.INSTALLED) {
          yield current;
        }
        // The device considers the action done: never offer it again; wait for its version.
        yield ActionStatus.AWAITING_VERSION;
      }
      case DOWNLOADED -> {
        if (result == Result.FAILURE) {
          yield ActionStatus.FAILED;
        }
        if (type == ActionType.DOWNLOAD_ONLY) {
          yield ActionStatus.SUCCEEDED;
        }
        yield current == ActionStatus.OFFERED || current == ActionStatus.RUNNING
            ? ActionStatus.DOWNLOADED
            : current;
      }
      case CANCELED -> ActionStatus.CANCELED;
      case PROCEEDING -> {
        if (context.allInstalled()
            && type != ActionType.DOWNLOAD_ONLY
            && (current == ActionStatus.OFFERED
                || current == ActionStatus.RUNNING
                || current == ActionStatus.DOWNLOADED)) {
          yield ActionStatus.INSTALLED;
        }
        yield current == ActionStatus.OFFERED ? ActionStatus.RUNNING : current;
      }
      case SCHEDULED, RESUMED, DOWNLOAD, REJECTED ->
          current == ActionStatus.OFFERED ? ActionStatus.RUNNING : current;
    };
  }

  /**
   * The next status when the device (its owner) answers a confirmation request (DDI {@code
   * confirmationBase/{id}/feedback}): confirmed, the action is offered for installation; denied, it
   * stays open as {@link ActionStatus#DENIED}. Only an action awaiting consent moves.
   */
  public static ActionStatus onConsent(ActionStatus current, boolean confirmed) {
    if (!current.awaitsConsent()) {
      return current;
    }
    return confirmed ? ActionStatus.OFFERED : ActionStatus.DENIED;
  }

  /** The next status after feedback on {@code cancelAction}. */
  public static ActionStatus onCancelFeedback(
      ActionStatus current, Feedback.Execution execution, Feedback.Result result) {
    if (current != ActionStatus.CANCELING) {
      return current;
    }
    if (execution == Execution.REJECTED || result == Result.FAILURE) {
      return ActionStatus.RUNNING;
    }
    if (execution == Execution.CLOSED || execution == Execution.CANCELED) {
      return ActionStatus.CANCELED;
    }
    return current;
  }

  /** The next status when the device reports that it runs the release's version. */
  public static ActionStatus onReleaseVersionRunning(ActionStatus current, ActionType type) {
    if (!current.isOpen() || current == ActionStatus.CANCELING) {
      return current;
    }
    return ActionStatus.SUCCEEDED;
  }

  /** The next status when the device fetches the action's details (deploymentBase). */
  public static ActionStatus onFetched(ActionStatus current) {
    return current == ActionStatus.OFFERED ? ActionStatus.RUNNING : current;
  }

  /** The next status when an operator (or a rollout) cancels the action. */
  public static ActionStatus onCancelRequested(ActionStatus current) {
    if (!current.isOpen()) {
      return current;
    }
    return current == ActionStatus.OFFERED || current.awaitsConsent()
        ? ActionStatus.CANCELED
        : ActionStatus.CANCELING;
  }
}
