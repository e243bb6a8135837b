package dev.sluice.store.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.action.ActionService;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.rollout.Gate;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.core.rollout.MemberStatus;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutDevice;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.core.rollout.StageSelection;
import dev.sluice.core.rollout.StageSpec;
import dev.sluice.store.Fixtures;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollout evaluation through the services alone ({@link RolloutService}, {@link RolloutEvaluator},
 * {@link ActionService} with the rollout counters), on a real SQLite database. No HTTP.
 */
class RolloutEvaluationTest {
  private static final Clock CLOCK = Clock.fixed(Fixtures.at(3600), ZoneOffset.UTC);
  private static final Principal OPERATOR = new Principal("ops", Role.OPERATOR, Optional.empty());
  private static final int BETA_DEVICES = 10;

  private final List<RuntimeException> errors = new ArrayList<>();
  private TestDatabase test;
  private JdbiTransactions tx;
  private RolloutService rollouts;
  private RolloutEvaluator evaluator;
  private Release release;

  @BeforeEach
  void tenBetaDevicesTwoOthersAndAPublishedRelease() {
    test = TestDatabases.freshSqlite();
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    release = Fixtures.withState(Fixtures.draft(product.name(), "1.0.0"), ReleaseState.PUBLISHED);
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          repos.releases().insert(release);
          for (int i = 0; i < BETA_DEVICES + 2; i++) {
            Set<String> tags = i < BETA_DEVICES ? Set.of("beta") : Set.of();
            repos
                .devices()
                .insert(
                    Device.registered(device(i), product.name(), tags, Fixtures.T0),
                    Sha256.of(new byte[] {(byte) i}));
          }
          return null;
        });
    ActionService<RolloutPorts> actions = new ActionService<>(new RolloutCounters());
    rollouts = new RolloutService(tx, actions, CLOCK);
    GateCheck noWebhooks = (url, payload) -> new GateCheck.Reply(false, "no webhook here");
    evaluator =
        new RolloutEvaluator(tx, actions, noWebhooks, CLOCK, "test", (id, e) -> errors.add(e));
  }

  @AfterEach
  void closeDatabase() {
    test.close();
  }

  @Test
  void aStartedRolloutOffersTheReleaseToItsFirstStageShareOfTheMatchedDevices() {
    RolloutId id = started(List.of(50, 100));
    evaluator.runOnce();
    assertThat(errors).isEmpty();
    assertThat(members(id, MemberStatus.OPEN, 0)).isEqualTo(BETA_DEVICES / 2);
    assertThat(members(id, MemberStatus.PENDING, 1)).isEqualTo(BETA_DEVICES / 2);
    assertThat(rollout(id).state()).isEqualTo(RolloutState.RUNNING);
    assertThat(rollout(id).stage()).isZero();
  }

  @Test
  void aFleetLargerThanOneRecordingPageIsRecordedWholeAndItsFirstStageOfferedInOneEvaluation() {
    int more = RolloutEvaluator.COLLECT_BATCH + 10;
    tx.write(
        repos -> {
          for (int i = 0; i < more; i++) {
            ControllerId id = new ControllerId(String.format("fleet-%06d", i));
            repos
                .devices()
                .insert(
                    Device.registered(id, release.product(), Set.of("beta"), Fixtures.T0),
                    Sha256.of(id.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
          }
          return null;
        });
    int matched = BETA_DEVICES + more;
    RolloutId id = started(List.of(10, 100));

    evaluator.runOnce();

    assertThat(errors).isEmpty();
    long recorded = tx.read(repos -> repos.rollouts().memberCount(id));
    assertThat(recorded).isEqualTo(matched);
    // The first stage, more than one offering batch, was offered whole.
    assertThat(members(id, MemberStatus.OPEN, 0)).isEqualTo((matched + 9) / 10);
    assertThat(members(id, MemberStatus.PENDING, 1)).isEqualTo(matched - (matched + 9) / 10);
  }

  @Test
  void devicesTheFilterDoesNotMatchNeverJoin() {
    RolloutId id = started(List.of(100));
    evaluator.runOnce();
    assertThat(members(id, MemberStatus.OPEN, 0)).isEqualTo(BETA_DEVICES);
    for (int i = BETA_DEVICES; i < BETA_DEVICES + 2; i++) {
      ControllerId other = device(i);
      Optional<RolloutDevice> member = tx.read(repos -> repos.rollouts().member(id, other));
      assertThat(member).isEmpty();
    }
  }

  @Test
  void aStageWhoseDevicesHaveNotReportedWaitsAndEvaluatingAgainOffersNothingTwice() {
    RolloutId id = started(List.of(50, 100));
    evaluator.runOnce();
    evaluator.runOnce();
    assertThat(rollout(id).stage()).isZero();
    assertThat(members(id, MemberStatus.OPEN, 1)).isEqualTo(BETA_DEVICES / 2);
    assertThat(tx.read(repos -> repos.rollouts().counters(id)).getFirst().open())
        .isEqualTo(BETA_DEVICES / 2);
  }

  @Test
  void aRolloutNotYetStartedOffersNothing() {
    RolloutSpec spec = spec(List.of(100));
    RolloutId id = rollouts.create(OPERATOR, spec).id();
    evaluator.runOnce();
    assertThat(members(id, MemberStatus.OPEN, 0)).isZero();
    assertThat(rollout(id).state()).isEqualTo(RolloutState.CREATED);
  }

  @Test
  void aWebhookSlowerThanTheLeaseKeepsItAndItsApprovalCounts() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(CLOCK.instant());
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return now.get();
          }
        };
    ActionService<RolloutPorts> actions = new ActionService<>(new RolloutCounters());
    List<Boolean> otherInstanceClaimed = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean asked =
        new java.util.concurrent.atomic.AtomicBoolean();
    RolloutEvaluator[] other = new RolloutEvaluator[1];
    GateCheck slow =
        new GateCheck() {
          @Override
          public Reply ask(java.net.URI url, com.fasterxml.jackson.databind.JsonNode payload) {
            // The call outlasts the lease several times over; another instance tries meanwhile.
            if (asked.compareAndSet(false, true)) {
              now.set(now.get().plus(RolloutEvaluator.LEASE.multipliedBy(3)));
              otherInstanceClaimed.add(other[0].evaluate(waiting[0]));
            }
            return new Reply(true, "HTTP 200, approved after a while");
          }

          @Override
          public java.time.Duration longestCall() {
            return RolloutEvaluator.LEASE.multipliedBy(4);
          }
        };
    RolloutEvaluator first =
        new RolloutEvaluator(tx, actions, slow, moving, "instance-a", (id, e) -> errors.add(e));
    other[0] =
        new RolloutEvaluator(tx, actions, slow, moving, "instance-b", (id, e) -> errors.add(e));
    RolloutService service = new RolloutService(tx, actions, moving);
    List<StageSpec> stages =
        List.of(
            new StageSpec(new StageSelection.Percent(50), 90, 5, Gate.NONE),
            new StageSpec(
                new StageSelection.Percent(100),
                90,
                5,
                new Gate.Webhook(java.net.URI.create("http://gate.example/approve"))));
    RolloutId id =
        service
            .create(
                OPERATOR,
                RolloutSpec.builder(release.id(), stages)
                    .filter("tag==beta")
                    .confirmation(dev.sluice.core.action.ConfirmationPolicy.DDI_SUCCESS)
                    .build())
            .id();
    waiting[0] = id;
    service.start(OPERATOR, id);
    first.runOnce();
    succeedOpenActions(actions, id, now.get());

    assertThat(first.evaluate(id)).isTrue();

    assertThat(errors).isEmpty();
    assertThat(otherInstanceClaimed).containsExactly(false);
    Rollout approved = tx.read(repos -> repos.rollouts().find(id)).orElseThrow();
    assertThat(approved.state()).isEqualTo(RolloutState.RUNNING);
    assertThat(approved.stage()).isEqualTo(1);
    List<dev.sluice.core.audit.AuditEvent> trail =
        tx.read(
            repos ->
                repos
                    .audit()
                    .list(
                        new dev.sluice.core.audit.AuditQuery(
                            Optional.of("rollout/" + id.value()), 0, 100)));
    assertThat(trail)
        .filteredOn(e -> e.action().equals("rollout.approved"))
        .singleElement()
        .satisfies(e -> assertThat(e.detail().toString()).contains("approved after a while"));
  }

  private final RolloutId[] waiting = new RolloutId[1];

  private void succeedOpenActions(
      ActionService<RolloutPorts> actions, RolloutId id, java.time.Instant at) {
    tx.write(
        repos -> {
          for (dev.sluice.core.action.Action action : repos.actions().openOfRollout(id.value())) {
            actions.deploymentFeedback(
                repos,
                action.spec().device(),
                action.id(),
                new dev.sluice.core.action.Feedback(
                    dev.sluice.core.action.Feedback.Execution.CLOSED,
                    dev.sluice.core.action.Feedback.Result.SUCCESS,
                    "installed",
                    Optional.empty()),
                "{}",
                at);
          }
          return null;
        });
  }

  private RolloutId started(List<Integer> percentages) {
    RolloutId id = rollouts.create(OPERATOR, spec(percentages)).id();
    rollouts.start(OPERATOR, id);
    return id;
  }

  private RolloutSpec spec(List<Integer> percentages) {
    List<StageSpec> stages = new ArrayList<>();
    for (int p : percentages) {
      stages.add(
          new StageSpec(
              new StageSelection.Percent(p), 90, 5, stages.isEmpty() ? Gate.NONE : Gate.MANUAL));
    }
    return RolloutSpec.builder(release.id(), stages).filter("tag==beta").build();
  }

  private long members(RolloutId id, MemberStatus status, int maxStage) {
    return tx.read(repos -> repos.rollouts().countMembers(id, status, maxStage));
  }

  private Rollout rollout(RolloutId id) {
    return tx.read(repos -> repos.rollouts().find(id)).orElseThrow();
  }

  private static ControllerId device(int i) {
    return new ControllerId(String.format("phone-%04d", i));
  }
}
