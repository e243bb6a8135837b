package dev.sluice.store.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.Assignments;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.DdiSettings;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.rollout.Gate;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.core.rollout.MemberStatus;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.StageSelection;
import dev.sluice.core.rollout.StageSpec;
import dev.sluice.store.Fixtures;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Offering a page of a rollout's devices at once ({@link Assignments#assignLeading}) against
 * offering each in turn ({@link Assignments#assign}): the same rows, the same rules. Run on SQLite
 * and PostgreSQL by one subclass each.
 */
abstract class OfferPageContract {
  private static final Clock CLOCK = Clock.fixed(Fixtures.at(3600), ZoneOffset.UTC);
  private static final Instant NOW = CLOCK.instant();
  private static final Principal OPERATOR = new Principal("ops", Role.OPERATOR, Optional.empty());

  /** More than one offering page, and more rows than one multi-row statement takes. */
  private static final int FLEET = RolloutEvaluator.BATCH + 20;

  private final List<TestDatabase> opened = new ArrayList<>();

  protected abstract Dialect dialect();

  @AfterEach
  void closeDatabases() {
    opened.forEach(TestDatabase::close);
  }

  /** A database with a published release of a product and {@code devices} beta devices. */
  private final class World {
    final TestDatabase test = TestDatabases.fresh(dialect());
    final JdbiTransactions tx = new JdbiTransactions(test.database());
    final ActionService<RolloutPorts> actions = new ActionService<>(new RolloutCounters());
    final Release release;
    final Release draft;

    World(int devices, boolean consent) {
      this(devices, consent, Fixtures.product("acme-phone", List.of(Fixtures.certifier("lab")), 1));
    }

    /** Two worlds of the same product hold the same releases (their ids are random). */
    World(int devices, boolean consent, Product product) {
      opened.add(test);
      Certifier lab = Fixtures.certifier("lab");
      release = releases.computeIfAbsent(product, p -> published(p)).get(0);
      draft = releases.get(product).get(1);
      tx.write(
          repos -> {
            repos.certifiers().insert(lab);
            repos.products().insert(product);
            repos.products().setDdiSettings(product.name(), new DdiSettings("os", consent));
            repos.releases().insert(release);
            repos.releases().insert(draft);
            List<DeviceRepository.Registration> all = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
              ControllerId id = device(i);
              all.add(
                  new DeviceRepository.Registration(
                      Device.registered(id, product.name(), Set.of("beta"), Fixtures.T0),
                      Sha256.of(id.value().getBytes(StandardCharsets.US_ASCII))));
            }
            repos.devices().insertAll(all);
            return null;
          });
    }

    Action operatorAssigns(int device, Release of) {
      return tx.write(repos -> actions.assign(repos, "op", spec(device, of), NOW));
    }

    NewAction spec(int device, Release of) {
      return new NewAction(
          device(device),
          of.id(),
          Optional.empty(),
          0,
          ActionType.FORCED,
          Optional.empty(),
          Optional.empty(),
          ConfirmationPolicy.RUNNING_VERSION,
          1);
    }

    /** Every row an offer writes, rollout ids replaced (they are random). */
    String rows(RolloutId rollout) {
      List<String> tables =
          List.of(
              "SELECT * FROM actions ORDER BY id",
              "SELECT controller_id, status, updated_at FROM devices ORDER BY controller_id",
              "SELECT * FROM device_changes ORDER BY seq",
              "SELECT * FROM audit_events ORDER BY seq",
              "SELECT * FROM rollout_devices ORDER BY device_id");
      StringBuilder all = new StringBuilder();
      test.database()
          .jdbi()
          .useHandle(
              h -> {
                for (String query : tables) {
                  for (Map<String, Object> row : h.createQuery(query).mapToMap().list()) {
                    all.append(row).append('\n');
                  }
                }
              });
      return all.toString().replace(rollout.value(), "<rollout>");
    }
  }

  private final Map<Product, List<Release>> releases = new java.util.HashMap<>();

  private static List<Release> published(Product p) {
    return List.of(
        Fixtures.withState(Fixtures.draft(p.name(), "1.0.0"), ReleaseState.PUBLISHED),
        Fixtures.draft(p.name(), "2.0.0"));
  }

  private static ControllerId device(int i) {
    return new ControllerId(String.format("phone-%04d", i));
  }

  /** The action service, with assignLeading counted, or turned off (each device in turn). */
  private static Assignments<RolloutPorts> assignments(
      ActionService<RolloutPorts> actions, boolean atOnce, AtomicInteger runs) {
    return new Assignments<>() {
      @Override
      public Action assign(RolloutPorts repos, NewAction action, Instant at) {
        return actions.assign(repos, action, at);
      }

      @Override
      public List<Action> assignLeading(RolloutPorts repos, List<NewAction> page, Instant at) {
        if (!atOnce) {
          return List.of();
        }
        List<Action> run = actions.assignLeading(repos, page, at);
        if (!run.isEmpty()) {
          runs.incrementAndGet();
        }
        return run;
      }

      @Override
      public Action cancel(
          RolloutPorts repos, dev.sluice.core.action.ActionId id, String r, Instant at) {
        return actions.cancel(repos, id, r, at);
      }

      @Override
      public Action fail(
          RolloutPorts repos, dev.sluice.core.action.ActionId id, String r, Instant at) {
        return actions.fail(repos, id, r, at);
      }
    };
  }

  /** Starts a one-stage rollout {@code id} to every beta device and evaluates it once. */
  private static void offeredEveryDevice(
      World world, RolloutId id, boolean atOnce, AtomicInteger runs) {
    Assignments<RolloutPorts> assignments = assignments(world.actions, atOnce, runs);
    List<RuntimeException> errors = new ArrayList<>();
    RolloutService rollouts = new RolloutService(world.tx, assignments, CLOCK);
    GateCheck noWebhooks = (url, payload) -> new GateCheck.Reply(false, "no webhook here");
    RolloutEvaluator evaluator =
        new RolloutEvaluator(
            world.tx, assignments, noWebhooks, CLOCK, "test", (rollout, e) -> errors.add(e));
    RolloutSpec spec =
        RolloutSpec.builder(
                world.release.id(),
                List.of(new StageSpec(new StageSelection.Percent(100), 90, 5, Gate.NONE)))
            .filter("tag==beta")
            .build();
    // Created with a given id, the same in both worlds: a member's rank derives from it.
    world.tx.write(
        repos -> {
          repos.rollouts().insert(Rollout.created(id, spec, world.release.product(), "op", NOW));
          return null;
        });
    rollouts.start(OPERATOR, id);
    evaluator.runOnce();
    assertThat(errors).isEmpty();
  }

  @Test
  void offeringPagesAtOnceLeavesTheRowsOfferingEachDeviceInTurnLeaves() {
    List<String> rows = new ArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    Product product = Fixtures.product("acme-phone", List.of(Fixtures.certifier("lab")), 1);
    RolloutId id = RolloutId.generate(CLOCK);
    for (boolean atOnce : List.of(false, true)) {
      World world = new World(FLEET, true, product);
      // Devices with an open action: superseded (cancelled) the one-device way, mid-page.
      world.operatorAssigns(7, world.release);
      world.operatorAssigns(300, world.release);
      offeredEveryDevice(world, id, atOnce, runs);
      long open = world.tx.read(repos -> repos.rollouts().countMembers(id, MemberStatus.OPEN, 0));
      assertThat(open).isEqualTo(FLEET);
      rows.add(world.rows(id));
    }
    // Runs on either side of each superseded device, over two pages.
    assertThat(runs.get()).isGreaterThanOrEqualTo(4);
    assertThat(rows.get(1)).isEqualTo(rows.get(0));
    assertThat(rows.get(0)).contains("waiting_confirmation").contains("superseded");
  }

  @Test
  void aRunStopsAtTheFirstDeviceTheOneDeviceWayMustDecide() {
    World world = new World(8, false);
    world.operatorAssigns(2, world.release);
    world.tx.write(repos -> repos.devices().decommission(device(5), NOW));

    List<Action> first =
        world.tx.write(
            repos ->
                world.actions.assignLeading(
                    repos,
                    List.of(
                        world.spec(0, world.release),
                        world.spec(1, world.release),
                        world.spec(2, world.release),
                        world.spec(3, world.release)),
                    NOW));
    assertThat(first).extracting(a -> a.spec().device()).containsExactly(device(0), device(1));
    assertThat(first).extracting(Action::status).containsOnly(ActionStatus.OFFERED);
    assertThat(first.get(1).id().value()).isGreaterThan(first.get(0).id().value());

    List<List<NewAction>> refusedFirst =
        List.of(
            List.of(world.spec(5, world.release), world.spec(3, world.release)),
            List.of(
                new NewAction(
                    new ControllerId("ghost"),
                    world.release.id(),
                    Optional.empty(),
                    0,
                    ActionType.FORCED,
                    Optional.empty(),
                    Optional.empty(),
                    ConfirmationPolicy.RUNNING_VERSION,
                    1),
                world.spec(3, world.release)),
            List.of(world.spec(3, world.draft), world.spec(4, world.draft)));
    for (List<NewAction> page : refusedFirst) {
      List<Action> assigned =
          world.tx.write(repos -> world.actions.assignLeading(repos, page, NOW));
      assertThat(assigned).isEmpty();
    }

    world.tx.read(
        repos -> {
          for (int i : List.of(0, 1)) {
            assertThat(repos.actions().openFor(device(i))).hasSize(1);
            assertThat(repos.devices().find(device(i)).orElseThrow().status())
                .isEqualTo(DeviceStatus.PENDING);
          }
          for (int i : List.of(3, 4, 5, 6)) {
            assertThat(repos.actions().openFor(device(i))).isEmpty();
          }
          assertThat(repos.deviceChanges().after(0, 100))
              .extracting(c -> c.device().value())
              .containsExactly("phone-0002", "phone-0000", "phone-0001");
          return null;
        });
  }

  @Test
  void anOperatorAssigningADeviceARunIsOfferingWaitsAndSupersedesTheRunsAction() throws Exception {
    World world = new World(2, false);
    CountDownLatch offered = new CountDownLatch(1);
    CompletableFuture<Action> run =
        CompletableFuture.supplyAsync(
            () ->
                world.tx.write(
                    repos -> {
                      Action action =
                          world
                              .actions
                              .assignLeading(repos, List.of(world.spec(0, world.release)), NOW)
                              .getFirst();
                      offered.countDown();
                      try {
                        // The operator's transaction starts meanwhile and must wait for this one.
                        Thread.sleep(300);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return action;
                    }));
    assertThat(offered.await(10, TimeUnit.SECONDS)).isTrue();
    Action operators = world.operatorAssigns(0, world.release);
    Action runs = run.get(10, TimeUnit.SECONDS);

    world.tx.read(
        repos -> {
          assertThat(repos.actions().openFor(device(0)))
              .extracting(Action::id)
              .containsExactly(operators.id());
          assertThat(repos.actions().find(runs.id()).orElseThrow().status())
              .isEqualTo(ActionStatus.CANCELED);
          return null;
        });
  }
}
