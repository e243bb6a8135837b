package dev.sluice.core.action;

import static dev.sluice.core.action.ActionStatus.CANCELED;
import static dev.sluice.core.action.ActionStatus.CANCELING;
import static dev.sluice.core.action.ActionStatus.DOWNLOADED;
import static dev.sluice.core.action.ActionStatus.FAILED;
import static dev.sluice.core.action.ActionStatus.INSTALLED;
import static dev.sluice.core.action.ActionStatus.OFFERED;
import static dev.sluice.core.action.ActionStatus.RUNNING;
import static dev.sluice.core.action.ActionStatus.SUCCEEDED;
import static dev.sluice.core.action.ConfirmationPolicy.DDI_SUCCESS;
import static dev.sluice.core.action.ConfirmationPolicy.RUNNING_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.action.Feedback.Execution;
import dev.sluice.core.action.Feedback.Result;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ActionTransitionsTest {

  private static ActionStatus deploy(
      ActionStatus from, ActionType type, ConfirmationPolicy policy, Execution e, Result r) {
    return ActionTransitions.onDeploymentFeedback(
        from, type, policy, e, r, ActionTransitions.Context.NONE);
  }

  @Test
  void closedSuccessUnderRunningVersionAwaitsTheRunningVersion() {
    assertThat(
            deploy(RUNNING, ActionType.FORCED, RUNNING_VERSION, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(ActionStatus.AWAITING_VERSION);
    // A repetition (rauc-hawkbit-updater, Zephyr) is not a confirmation: it stays awaiting.
    assertThat(
            deploy(
                ActionStatus.AWAITING_VERSION,
                ActionType.FORCED,
                RUNNING_VERSION,
                Execution.CLOSED,
                Result.SUCCESS))
        .isEqualTo(ActionStatus.AWAITING_VERSION);
    // ... and a late "all installed" does not move it back to installed.
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                ActionStatus.AWAITING_VERSION,
                ActionType.FORCED,
                RUNNING_VERSION,
                Execution.PROCEEDING,
                Result.NONE,
                new ActionTransitions.Context(true, false, true)))
        .isEqualTo(ActionStatus.AWAITING_VERSION);
  }

  @Test
  void aDownloadOnlyActionSucceedsOnlyIfTheDeviceDownloaded() {
    ActionTransitions.Context downloaded =
        new ActionTransitions.Context(false, false, false, false, true);
    assertThat(
            deploy(
                RUNNING, ActionType.DOWNLOAD_ONLY, DDI_SUCCESS, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(FAILED);
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                RUNNING,
                ActionType.DOWNLOAD_ONLY,
                RUNNING_VERSION,
                Execution.CLOSED,
                Result.SUCCESS,
                downloaded))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void consentMovesOnlyAnActionAwaitingIt() {
    assertThat(ActionTransitions.onConsent(ActionStatus.WAITING_CONFIRMATION, true))
        .isEqualTo(OFFERED);
    assertThat(ActionTransitions.onConsent(ActionStatus.WAITING_CONFIRMATION, false))
        .isEqualTo(ActionStatus.DENIED);
    assertThat(ActionTransitions.onConsent(ActionStatus.DENIED, true)).isEqualTo(OFFERED);
    assertThat(ActionTransitions.onConsent(RUNNING, false)).isEqualTo(RUNNING);
    assertThat(ActionTransitions.onCancelRequested(ActionStatus.DENIED)).isEqualTo(CANCELED);
    // No deployment feedback moves an action before consent.
    assertThat(
            deploy(
                ActionStatus.WAITING_CONFIRMATION,
                ActionType.FORCED,
                DDI_SUCCESS,
                Execution.CLOSED,
                Result.SUCCESS))
        .isEqualTo(ActionStatus.WAITING_CONFIRMATION);
  }

  @Test
  void closedSuccessSucceedsWhenTheDeviceAlreadyRunsTheReleaseVersion() {
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                RUNNING,
                ActionType.FORCED,
                RUNNING_VERSION,
                Execution.CLOSED,
                Result.SUCCESS,
                new ActionTransitions.Context(false, true, false)))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void allChunksInstalledThenClosedSuccessAfterRestartSucceeds() {
    ActionStatus installed =
        ActionTransitions.onDeploymentFeedback(
            RUNNING,
            ActionType.FORCED,
            RUNNING_VERSION,
            Execution.PROCEEDING,
            Result.NONE,
            new ActionTransitions.Context(true, false, false));
    assertThat(installed).isEqualTo(INSTALLED);
    assertThat(
            deploy(installed, ActionType.FORCED, RUNNING_VERSION, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void aClosedSuccessOutsideTheMaintenanceWindowMeansSkippedNotInstalled() {
    ActionTransitions.Context blocked = new ActionTransitions.Context(false, false, false, true);
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                RUNNING, ActionType.FORCED, DDI_SUCCESS, Execution.CLOSED, Result.SUCCESS, blocked))
        .isEqualTo(RUNNING);
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                OFFERED,
                ActionType.SOFT,
                RUNNING_VERSION,
                Execution.CLOSED,
                Result.SUCCESS,
                blocked))
        .isEqualTo(RUNNING);
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                RUNNING, ActionType.FORCED, DDI_SUCCESS, Execution.CLOSED, Result.FAILURE, blocked))
        .isEqualTo(FAILED);
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                RUNNING,
                ActionType.DOWNLOAD_ONLY,
                DDI_SUCCESS,
                Execution.CLOSED,
                Result.SUCCESS,
                new ActionTransitions.Context(false, false, false, true, true)))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void aRepeatedClosedSuccessIsAReplayNotAConfirmation() {
    assertThat(
            ActionTransitions.onDeploymentFeedback(
                INSTALLED,
                ActionType.FORCED,
                RUNNING_VERSION,
                Execution.CLOSED,
                Result.SUCCESS,
                new ActionTransitions.Context(false, false, true)))
        .isEqualTo(INSTALLED);
  }

  @Test
  void closedSuccessSucceedsUnderTheDdiSuccessPolicy() {
    assertThat(deploy(RUNNING, ActionType.SOFT, DDI_SUCCESS, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(SUCCEEDED);
    assertThat(deploy(OFFERED, ActionType.SOFT, DDI_SUCCESS, Execution.CLOSED, Result.NONE))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void closedFailureFailsTheActionFromAnyOpenStatus() {
    for (ActionStatus from : List.of(OFFERED, RUNNING, DOWNLOADED, INSTALLED, CANCELING)) {
      assertThat(deploy(from, ActionType.FORCED, RUNNING_VERSION, Execution.CLOSED, Result.FAILURE))
          .as(from.name())
          .isEqualTo(FAILED);
    }
  }

  @Test
  void downloadedEndsADownloadOnlyActionAndOnlyMarksOthers() {
    assertThat(
            deploy(
                RUNNING,
                ActionType.DOWNLOAD_ONLY,
                RUNNING_VERSION,
                Execution.DOWNLOADED,
                Result.NONE))
        .isEqualTo(SUCCEEDED);
    assertThat(
            deploy(RUNNING, ActionType.FORCED, RUNNING_VERSION, Execution.DOWNLOADED, Result.NONE))
        .isEqualTo(DOWNLOADED);
    assertThat(
            deploy(
                INSTALLED, ActionType.FORCED, RUNNING_VERSION, Execution.DOWNLOADED, Result.NONE))
        .isEqualTo(INSTALLED);
  }

  @Test
  void progressMovesAnOfferedActionToRunningAndLeavesOthersWhereTheyAre() {
    for (Execution e :
        List.of(
            Execution.PROCEEDING,
            Execution.SCHEDULED,
            Execution.RESUMED,
            Execution.DOWNLOAD,
            Execution.REJECTED)) {
      assertThat(deploy(OFFERED, ActionType.FORCED, RUNNING_VERSION, e, Result.NONE))
          .as(e.name())
          .isEqualTo(RUNNING);
      assertThat(deploy(INSTALLED, ActionType.FORCED, RUNNING_VERSION, e, Result.NONE))
          .isEqualTo(INSTALLED);
      assertThat(deploy(INSTALLED, ActionType.FORCED, RUNNING_VERSION, e, Result.FAILURE))
          .as("only closed/failure fails")
          .isEqualTo(INSTALLED);
    }
  }

  @Test
  void canceledFeedbackCancelsTheAction() {
    assertThat(deploy(RUNNING, ActionType.SOFT, RUNNING_VERSION, Execution.CANCELED, Result.NONE))
        .isEqualTo(CANCELED);
  }

  @Test
  void cancelFeedbackConfirmsOrRejectsACancelRequest() {
    assertThat(ActionTransitions.onCancelFeedback(CANCELING, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(CANCELED);
    assertThat(ActionTransitions.onCancelFeedback(CANCELING, Execution.CANCELED, Result.NONE))
        .isEqualTo(CANCELED);
    assertThat(ActionTransitions.onCancelFeedback(CANCELING, Execution.REJECTED, Result.NONE))
        .isEqualTo(RUNNING);
    assertThat(ActionTransitions.onCancelFeedback(CANCELING, Execution.CLOSED, Result.FAILURE))
        .isEqualTo(RUNNING);
    assertThat(ActionTransitions.onCancelFeedback(CANCELING, Execution.PROCEEDING, Result.NONE))
        .isEqualTo(CANCELING);
    assertThat(ActionTransitions.onCancelFeedback(RUNNING, Execution.CLOSED, Result.SUCCESS))
        .isEqualTo(RUNNING);
  }

  @Test
  void cancellingAnUnfetchedActionIsImmediateAndAFetchedOneAsksTheDevice() {
    assertThat(ActionTransitions.onCancelRequested(OFFERED)).isEqualTo(CANCELED);
    assertThat(ActionTransitions.onCancelRequested(RUNNING)).isEqualTo(CANCELING);
    assertThat(ActionTransitions.onCancelRequested(INSTALLED)).isEqualTo(CANCELING);
    assertThat(ActionTransitions.onCancelRequested(SUCCEEDED)).isEqualTo(SUCCEEDED);
  }

  @Test
  void reportingTheReleaseVersionConfirmsAnOpenActionButNotACancelRequest() {
    assertThat(ActionTransitions.onReleaseVersionRunning(INSTALLED, ActionType.FORCED))
        .isEqualTo(SUCCEEDED);
    assertThat(ActionTransitions.onReleaseVersionRunning(RUNNING, ActionType.SOFT))
        .isEqualTo(SUCCEEDED);
    assertThat(ActionTransitions.onReleaseVersionRunning(CANCELING, ActionType.SOFT))
        .isEqualTo(CANCELING);
    assertThat(ActionTransitions.onReleaseVersionRunning(FAILED, ActionType.SOFT))
        .isEqualTo(FAILED);
  }

  @Test
  void fetchingAnOfferedActionStartsIt() {
    assertThat(ActionTransitions.onFetched(OFFERED)).isEqualTo(RUNNING);
    assertThat(ActionTransitions.onFetched(INSTALLED)).isEqualTo(INSTALLED);
  }

  /** One report a device (or an operator) can make. */
  record Step(int kind, Execution execution, Result result, boolean flag) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(Execution.class),
                Arbitraries.of(Result.class),
                Arbitraries.of(true, false))
            .as(Step::new);
    return step.list().ofMaxSize(30);
  }

  @Property(tries = 500)
  void noSequenceOfReportsMakesAnActionLeaveAClosedState(
      @ForAll("steps") List<Step> steps,
      @ForAll ActionType type,
      @ForAll ConfirmationPolicy policy) {
    ActionStatus status = OFFERED;
    ActionStatus closed = null;
    for (Step s : steps) {
      status =
          switch (s.kind()) {
            case 0 ->
                ActionTransitions.onDeploymentFeedback(
                    status,
                    type,
                    policy,
                    s.execution(),
                    s.result(),
                    new ActionTransitions.Context(s.flag(), !s.flag(), s.flag(), s.flag()));
            case 1 -> ActionTransitions.onCancelFeedback(status, s.execution(), s.result());
            case 2 -> ActionTransitions.onCancelRequested(status);
            case 3 -> ActionTransitions.onReleaseVersionRunning(status, type);
            default -> ActionTransitions.onFetched(status);
          };
      if (closed != null) {
        assertThat(status).isEqualTo(closed);
      } else if (!status.isOpen()) {
        closed = status;
      }
    }
  }
}
