package dev.sluice.store;

import static dev.sluice.store.Fixtures.T0;
import static dev.sluice.store.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.ActionListener;
import dev.sluice.core.action.ActionRepository;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.Feedback;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The action store's contract and the action service on a real database, run unchanged on SQLite
 * ({@link SqliteActionRepositoryTest}) and PostgreSQL ({@link PostgresActionRepositoryTest}).
 */
abstract class ActionRepositoryContract {
  static final ProductName PHONE = new ProductName("acme-phone");
  static final ControllerId DEV1 = new ControllerId("dev-1");
  static final ControllerId DEV2 = new ControllerId("dev-2");

  private TestDatabase test;
  private Transactions tx;
  private Release published;
  private Release draft;
  private final List<String> changes = new ArrayList<>();
  private ActionService<Repositories> service;

  protected abstract Dialect dialect();

  @BeforeEach
  void openFreshDatabaseWithAPublishedReleaseAndTwoDevices() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    published = Fixtures.withState(Fixtures.draft(PHONE, "1.0.0"), ReleaseState.PUBLISHED);
    draft = Fixtures.draft(PHONE, "2.0.0");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(Fixtures.product(PHONE.value(), List.of(lab), 1));
          repos.releases().insert(published);
          repos.releases().insert(draft);
          for (ControllerId id : List.of(DEV1, DEV2)) {
            repos
                .devices()
                .insert(Device.registered(id, PHONE, Set.of(), T0), Sha256.of(new byte[] {1}));
          }
          return null;
        });
    ActionListener<Repositories> listener =
        (repos, before, after) -> {
          // Inside the transaction: the row already shows the new status.
          assertThat(repos.actions().find(after.id()).orElseThrow().status())
              .isEqualTo(after.status());
          changes.add(before.status() + ">" + after.status());
        };
    service = new ActionService<>(listener);
  }

  @AfterEach
  void everyConnectionIsReturned() {
    try {
      assertThat(test.database().activeConnections()).isZero();
    } finally {
      test.close();
    }
  }

  private List<Action> list(Function<Repositories, List<Action>> f) {
    return tx.read(f);
  }

  private Optional<Action> opt(Function<Repositories, Optional<Action>> f) {
    return tx.read(f);
  }

  private boolean bool(Function<Repositories, Boolean> f) {
    return tx.read(f);
  }

  private <T> T write(Function<Repositories, T> f) {
    return tx.write(f);
  }

  private Action action(ActionId id) {
    return tx.read(repos -> repos.actions().find(id)).orElseThrow();
  }

  private Device device(ControllerId id) {
    return tx.read(repos -> repos.devices().find(id)).orElseThrow();
  }

  /** An action of rollout-1 that may be installed at any time. */
  private NewAction spec(ControllerId device, ActionType type, ConfirmationPolicy policy) {
    return spec(device, type, policy, Optional.empty());
  }

  private NewAction spec(
      ControllerId device,
      ActionType type,
      ConfirmationPolicy policy,
      Optional<MaintenanceWindow> window) {
    return new NewAction(
        device,
        published.id(),
        Optional.of("rollout-1"),
        2,
        type,
        type == ActionType.TIMEFORCED ? Optional.of(at(3600)) : Optional.empty(),
        window,
        policy,
        1);
  }

  @Test
  void feedbackIsPrunedToTheFirstAndTheLastAndAConsentActionIsOpenAndCounted() {
    Action a =
        tx.write(
            repos ->
                repos
                    .actions()
                    .insert(
                        spec(DEV1, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION)
                            .withConsent(true),
                        at(1)));
    assertThat(a.status()).isEqualTo(ActionStatus.WAITING_CONFIRMATION);
    assertThat(action(a.id()).status()).isEqualTo(ActionStatus.WAITING_CONFIRMATION);
    assertThat(list(repos -> repos.actions().openFor(DEV1)))
        .extracting(Action::id)
        .containsExactly(a.id());
    // Waiting for the owner is not being silent.
    assertThat(list(repos -> repos.actions().openUnchangedSince(at(100), 10))).isEmpty();
    java.util.Map<String, Long> counts =
        tx.read(repos -> repos.actions().openCountsOfRollout("rollout-1"));
    assertThat(counts).containsEntry("waiting_confirmation", 1L);
    for (int i = 0; i < 30; i++) {
      int n = i;
      tx.write(
          repos -> {
            repos.actions().insertFeedback(a.id(), at(2 + n), "proceeding", "none", "m" + n);
            repos.actions().pruneFeedback(a.id(), 3, 5);
            return null;
          });
    }
    List<dev.sluice.core.action.ActionFeedback> kept =
        tx.read(repos -> repos.actions().feedback(a.id()));
    assertThat(kept)
        .extracting(dev.sluice.core.action.ActionFeedback::body)
        .containsExactly("m0", "m1", "m2", "m25", "m26", "m27", "m28", "m29");
  }

  @Test
  void withdrawingAReleaseCancelsItsOpenActionsOnlyAndOnlyOnce() {
    Action offered =
        write(
            repos ->
                service.assign(
                    repos, spec(DEV1, ActionType.FORCED, ConfirmationPolicy.DDI_SUCCESS), at(1)));
    Action started =
        write(
            repos ->
                service.assign(
                    repos, spec(DEV2, ActionType.FORCED, ConfirmationPolicy.DDI_SUCCESS), at(2)));
    write(repos -> service.fetched(repos, DEV2, started.id(), at(3)));
    assertThat(list(repos -> repos.actions().openOfRelease(published.id())))
        .extracting(Action::id)
        .containsExactly(offered.id(), started.id());
    assertThat(list(repos -> repos.actions().openOfRelease(draft.id()))).isEmpty();
    Optional<ReleaseState> state = tx.read(repos -> repos.releases().state(published.id()));
    assertThat(state).contains(ReleaseState.PUBLISHED);
    Optional<ReleaseState> none =
        tx.read(
            repos ->
                repos
                    .releases()
                    .state(
                        dev.sluice.core.release.ReleaseId.generate(java.time.Clock.systemUTC())));
    assertThat(none).isEmpty();
    assertThat(bool(repos -> repos.releases().revocationRecorded(published.id()))).isFalse();

    int withdrawn =
        write(repos -> service.withdraw(repos, "admin", published.id(), "revoked", at(4)));
    assertThat(withdrawn).isEqualTo(2);
    assertThat(action(offered.id()).status()).isEqualTo(ActionStatus.CANCELED);
    assertThat(action(started.id()).status()).isEqualTo(ActionStatus.CANCELING);
    assertThat(device(DEV1).status()).isEqualTo(DeviceStatus.UNKNOWN);
    // The started action stays open until the device acknowledges; withdrawing again asks nothing.
    assertThat(list(repos -> repos.actions().openOfRelease(published.id())))
        .extracting(Action::id)
        .containsExactly(started.id());
    assertThat(
            this.<Integer>write(
                repos -> service.withdraw(repos, "admin", published.id(), "again", at(5))))
        .isZero();
  }

  /** A time-forced action for DEV1, confirmed by its DDI success, in a nightly window. */
  private NewAction timeforcedInAWindow() {
    return spec(
        DEV1,
        ActionType.TIMEFORCED,
        ConfirmationPolicy.DDI_SUCCESS,
        Optional.of(
            new MaintenanceWindow("0 2 * * *", Duration.ofHours(2), ZoneId.of("Europe/Berlin"))));
  }

  @Test
  void anInsertedActionReadsBackWhole() {
    NewAction spec = timeforcedInAWindow();
    Action inserted = tx.write(repos -> repos.actions().insert(spec, at(1)));
    assertThat(inserted.id().value()).isPositive().isLessThan(1L << 31);
    assertThat(inserted.status()).isEqualTo(ActionStatus.OFFERED);
    Action read = action(inserted.id());
    assertThat(read).isEqualTo(inserted);
    assertThat(this.<Optional<Action>>write(repos -> repos.actions().findForUpdate(inserted.id())))
        .contains(inserted);
    assertThat(list(repos -> repos.actions().openOfRollout("rollout-1"))).containsExactly(inserted);
    assertThat(opt(repos -> repos.actions().find(new ActionId(999_999)))).isEmpty();
  }

  @Test
  void transitionsAreCompareAndSetAndOpenQueriesFollowTheStatus() {
    Action a =
        tx.write(
            repos ->
                repos
                    .actions()
                    .insert(
                        spec(DEV1, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION), at(1)));
    assertThat(
            this.<Boolean>write(
                repos ->
                    repos
                        .actions()
                        .transition(
                            a.id(),
                            ActionStatus.OFFERED,
                            ActionStatus.RUNNING,
                            at(2),
                            Optional.of("go"))))
        .isTrue();
    assertThat(
            this.<Boolean>write(
                repos ->
                    repos
                        .actions()
                        .transition(
                            a.id(),
                            ActionStatus.OFFERED,
                            ActionStatus.FAILED,
                            at(3),
                            Optional.empty())))
        .isFalse();
    Action running = action(a.id());
    assertThat(running.status()).isEqualTo(ActionStatus.RUNNING);
    assertThat(running.updatedAt()).isEqualTo(at(2));
    assertThat(running.lastMessage()).contains("go");
    assertThat(list(repos -> repos.actions().openFor(DEV1)))
        .extracting(Action::id)
        .containsExactly(a.id());
    assertThat(list(repos -> repos.actions().openUnchangedSince(at(3), 10))).hasSize(1);
    assertThat(list(repos -> repos.actions().openUnchangedSince(at(2), 10))).isEmpty();
    tx.write(
        repos ->
            repos
                .actions()
                .transition(
                    a.id(), ActionStatus.RUNNING, ActionStatus.SUCCEEDED, at(4), Optional.empty()));
    assertThat(list(repos -> repos.actions().openFor(DEV1))).isEmpty();
    assertThat(opt(repos -> repos.actions().latestOf(DEV1, List.of(ActionStatus.SUCCEEDED))))
        .isPresent();
    assertThat(opt(repos -> repos.actions().latestOf(DEV1, List.of(ActionStatus.FAILED))))
        .isEmpty();
    assertThat(list(repos -> repos.actions().history(DEV1, 10))).hasSize(1);
    assertThat(list(repos -> repos.actions().history(DEV2, 10))).isEmpty();
  }

  @Test
  void openAndLastSuccessReadsWhatOpenForAndLatestOfFindInOneGo() {
    ActionRepository.OpenAndLastSuccess none =
        tx.read(repos -> repos.actions().openAndLastSuccess(DEV1));
    assertThat(none.open()).isEmpty();
    assertThat(none.lastSuccess()).isEmpty();
    NewAction forced = spec(DEV1, ActionType.FORCED, ConfirmationPolicy.DDI_SUCCESS);
    List<ActionStatus> ends =
        List.of(
            ActionStatus.SUCCEEDED,
            ActionStatus.SUCCEEDED,
            ActionStatus.FAILED,
            ActionStatus.RUNNING,
            ActionStatus.OFFERED);
    List<ActionId> ids = new ArrayList<>();
    for (int i = 0; i < ends.size(); i++) {
      int n = i;
      ids.add(
          tx.write(
              repos -> {
                Action a = repos.actions().insert(forced, at(10 * n));
                if (ends.get(n) != ActionStatus.OFFERED) {
                  repos
                      .actions()
                      .transition(
                          a.id(),
                          ActionStatus.OFFERED,
                          ends.get(n),
                          at(10 * n + 1),
                          Optional.empty());
                }
                return a.id();
              }));
    }
    tx.write(
        repos ->
            repos
                .actions()
                .insert(spec(DEV2, ActionType.FORCED, ConfirmationPolicy.DDI_SUCCESS), at(99)));

    ActionRepository.OpenAndLastSuccess both =
        tx.read(repos -> repos.actions().openAndLastSuccess(DEV1));
    assertThat(both.open()).isEqualTo(list(repos -> repos.actions().openFor(DEV1)));
    assertThat(both.open())
        .extracting(Action::status)
        .containsExactly(ActionStatus.RUNNING, ActionStatus.OFFERED);
    assertThat(both.lastSuccess())
        .isEqualTo(opt(repos -> repos.actions().latestOf(DEV1, List.of(ActionStatus.SUCCEEDED))));
    assertThat(both.lastSuccess().orElseThrow().id()).isEqualTo(ids.get(1));
  }

  @Test
  void thePollsReadOfOpenActionsReadsEachActionWhole() {
    NewAction spec = timeforcedInAWindow();
    Action windowed = tx.write(repos -> repos.actions().insert(spec, at(1)));
    Action plain =
        tx.write(
            repos ->
                repos
                    .actions()
                    .insert(spec(DEV1, ActionType.SOFT, ConfirmationPolicy.DDI_SUCCESS), at(2)));

    ActionRepository.OpenAndLastSuccess read =
        tx.read(repos -> repos.actions().openAndLastSuccess(DEV1));
    assertThat(read.open()).containsExactly(windowed, plain);
    assertThat(read.open().get(0).spec().window()).isPresent();
    assertThat(read.open().get(0).spec().forcedAt()).contains(at(3600));
    assertThat(read.open().get(1).spec().forcedAt()).isEmpty();
    assertThat(read.lastSuccess()).isEmpty();
  }

  @Test
  void feedbackIsKeptAndFoundForReplayChecks() {
    Action a =
        tx.write(
            repos ->
                repos
                    .actions()
                    .insert(
                        spec(DEV1, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION), at(1)));
    tx.write(
        repos -> {
          repos.actions().insertFeedback(a.id(), at(2), "closed", "success", "{\"x\":1}");
          return null;
        });
    assertThat(bool(repos -> repos.actions().feedbackExists(a.id(), "closed", "success"))).isTrue();
    assertThat(bool(repos -> repos.actions().feedbackExists(a.id(), "closed", "failure")))
        .isFalse();
    tx.write(
        repos -> {
          repos.actions().insertFeedback(a.id(), at(3), "downloaded", "none", "{}");
          repos.actions().insertFeedback(a.id(), at(4), "downloaded", "none", "{}");
          return null;
        });
    java.util.Set<String> kinds = tx.read(repos -> repos.actions().feedbackKinds(a.id()));
    assertThat(kinds).containsExactlyInAnyOrder("closed/success", "downloaded/none");
  }

  @Test
  void digestsAreStoredOncePerBlob() {
    Sha256 blob = Sha256.of(new byte[] {7});
    ArtifactDigests d = new ArtifactDigests(blob, "a".repeat(40), "b".repeat(32));
    tx.write(
        repos -> {
          repos.actions().saveDigests(d);
          repos.actions().saveDigests(d);
          return null;
        });
    Optional<ArtifactDigests> stored = tx.read(repos -> repos.actions().digests(blob));
    assertThat(stored).contains(d);
    Optional<ArtifactDigests> none =
        tx.read(repos -> repos.actions().digests(Sha256.of(new byte[] {8})));
    assertThat(none).isEmpty();
  }

  @Test
  void assigningSupersedesTheOpenActionAndMarksTheDevicePending() {
    Action first =
        tx.write(
            repos ->
                service.assign(
                    repos, spec(DEV1, ActionType.SOFT, ConfirmationPolicy.RUNNING_VERSION), at(1)));
    Action second =
        tx.write(
            repos ->
                service.assign(
                    repos,
                    spec(DEV1, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION),
                    at(2)));
    assertThat(opt(repos -> repos.actions().find(first.id())).orElseThrow().status())
        .isEqualTo(ActionStatus.CANCELED);
    assertThat(list(repos -> repos.actions().openFor(DEV1)))
        .extracting(Action::id)
        .containsExactly(second.id());
    assertThat(device(DEV1).status()).isEqualTo(DeviceStatus.PENDING);
    assertThat(changes).containsExactly("OFFERED>CANCELED");
    assertThat(
            this.<List<dev.sluice.core.audit.AuditEvent>>write(
                repos ->
                    repos
                        .audit()
                        .list(
                            new dev.sluice.core.audit.AuditQuery(
                                Optional.of("action/" + first.id()), 0, 10))))
        .extracting(e -> e.action())
        .contains("action.assigned", "action.canceled");
  }

  @Test
  void onlyPublishedReleasesOfTheDevicesProductAreAssigned() {
    NewAction unpublished =
        new NewAction(
            DEV1,
            draft.id(),
            Optional.empty(),
            0,
            ActionType.FORCED,
            Optional.empty(),
            Optional.empty(),
            ConfirmationPolicy.RUNNING_VERSION,
            1);
    assertThatThrownBy(() -> tx.write(repos -> service.assign(repos, unpublished, at(1))))
        .isInstanceOf(SluiceException.Conflict.class);
    NewAction unknownDevice =
        spec(new ControllerId("ghost"), ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION);
    assertThatThrownBy(() -> tx.write(repos -> service.assign(repos, unknownDevice, at(1))))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThat(list(repos -> repos.actions().history(DEV1, 10))).isEmpty();
  }

  @Test
  void feedbackMovesOnlyTheOwnersActionAndUpdatesTheDevice() {
    Action a =
        tx.write(
            repos ->
                service.assign(
                    repos, spec(DEV1, ActionType.FORCED, ConfirmationPolicy.DDI_SUCCESS), at(1)));
    Feedback success =
        new Feedback(Feedback.Execution.CLOSED, Feedback.Result.SUCCESS, "ok", Optional.empty());
    assertThatThrownBy(
            () ->
                tx.write(
                    repos -> service.deploymentFeedback(repos, DEV2, a.id(), success, "{}", at(2))))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThat(opt(repos -> repos.actions().find(a.id())).orElseThrow().status())
        .isEqualTo(ActionStatus.OFFERED);
    tx.write(repos -> service.deploymentFeedback(repos, DEV1, a.id(), success, "{}", at(2)));
    Device d = device(DEV1);
    assertThat(d.status()).isEqualTo(DeviceStatus.IN_SYNC);
    assertThat(d.installedVersion().orElseThrow().value()).isEqualTo("1.0.0");
    assertThat(d.installedRelease()).contains(published.id());
    assertThat(changes).containsExactly("OFFERED>SUCCEEDED");
    // A replay changes nothing; other feedback on the closed action is Gone.
    assertThat(
            tx.write(repos -> service.deploymentFeedback(repos, DEV1, a.id(), success, "{}", at(3)))
                .replay())
        .isTrue();
    Feedback late =
        new Feedback(Feedback.Execution.PROCEEDING, Feedback.Result.NONE, "", Optional.empty());
    assertThatThrownBy(
            () ->
                tx.write(
                    repos -> service.deploymentFeedback(repos, DEV1, a.id(), late, "{}", at(4))))
        .isInstanceOf(SluiceException.Gone.class);
    assertThat(changes).hasSize(1);
  }

  @Test
  void aSuccessReportedOutsideTheMaintenanceWindowIsASkipNotAnInstallation() {
    MaintenanceWindow nightly =
        new MaintenanceWindow("0 2 * * *", Duration.ofHours(2), ZoneId.of("Europe/Berlin"));
    Action a =
        tx.write(
            repos ->
                service.assign(
                    repos,
                    spec(
                        DEV1,
                        ActionType.FORCED,
                        ConfirmationPolicy.DDI_SUCCESS,
                        Optional.of(nightly)),
                    at(1)));
    Feedback success =
        new Feedback(
            Feedback.Execution.CLOSED,
            Feedback.Result.SUCCESS,
            "Skipped Update.",
            Optional.empty());
    // T0 is midnight UTC, 01:00 in Berlin: the window (02:00-04:00 Berlin) is closed.
    tx.write(repos -> service.deploymentFeedback(repos, DEV1, a.id(), success, "{}", at(2)));
    assertThat(action(a.id()).status()).isEqualTo(ActionStatus.RUNNING);
    // 01:30 UTC is 02:30 in Berlin: inside the window the same report is an installation.
    tx.write(repos -> service.deploymentFeedback(repos, DEV1, a.id(), success, "{}", at(5400)));
    assertThat(action(a.id()).status()).isEqualTo(ActionStatus.SUCCEEDED);
  }

  @Test
  void failingAndCancellingUpdateTheDevice() {
    Action a =
        tx.write(
            repos ->
                service.assign(
                    repos,
                    spec(DEV1, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION),
                    at(1)));
    tx.write(repos -> service.fail(repos, a.id(), "silent for too long", at(2)));
    assertThat(device(DEV1).status()).isEqualTo(DeviceStatus.ERROR);
    assertThat(tx.write(repos -> service.fail(repos, a.id(), "again", at(3))).status())
        .isEqualTo(ActionStatus.FAILED);
    Action b =
        tx.write(
            repos ->
                service.assign(
                    repos,
                    spec(DEV2, ActionType.FORCED, ConfirmationPolicy.RUNNING_VERSION),
                    at(1)));
    tx.write(repos -> service.fetched(repos, DEV2, b.id(), at(2)));
    Action canceling = tx.write(repos -> service.cancel(repos, b.id(), "stop", at(3)));
    assertThat(canceling.status()).isEqualTo(ActionStatus.CANCELING);
    Feedback ack =
        new Feedback(Feedback.Execution.CLOSED, Feedback.Result.SUCCESS, "", Optional.empty());
    tx.write(repos -> service.cancelFeedback(repos, DEV2, b.id(), ack, "{}", at(4)));
    assertThat(opt(repos -> repos.actions().find(b.id())).orElseThrow().status())
        .isEqualTo(ActionStatus.CANCELED);
    assertThat(device(DEV2).status()).isEqualTo(DeviceStatus.UNKNOWN);
  }
}
