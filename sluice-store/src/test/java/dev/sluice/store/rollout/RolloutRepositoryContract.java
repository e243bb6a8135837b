package dev.sluice.store.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.PageCursor;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.rollout.FailureKind;
import dev.sluice.core.rollout.Gate;
import dev.sluice.core.rollout.Halt;
import dev.sluice.core.rollout.MemberStatus;
import dev.sluice.core.rollout.RetryPolicy;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutDevice;
import dev.sluice.core.rollout.RolloutFilters;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutProgress;
import dev.sluice.core.rollout.RolloutRepository;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.core.rollout.SequentialTestSpec;
import dev.sluice.core.rollout.StageCounters;
import dev.sluice.core.rollout.StageMembership;
import dev.sluice.core.rollout.StageSelection;
import dev.sluice.core.rollout.StageSpec;
import dev.sluice.store.Fixtures;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rollout repository's contract, run on SQLite and PostgreSQL by one subclass each. */
abstract class RolloutRepositoryContract {
  static final Instant T0 = Fixtures.T0;
  private TestDatabase test;
  private Database db;
  private Transactions tx;
  private Release release;
  private ProductName product;

  protected abstract Dialect dialect();

  @BeforeEach
  void openFreshDatabaseWithAPublishedRelease() {
    test = TestDatabases.fresh(dialect());
    db = test.database();
    tx = new JdbiTransactions(db);
    Certifier lab = Fixtures.certifier("lab");
    Product p = Fixtures.product("acme-phone", List.of(lab), 1);
    product = p.name();
    release = Fixtures.withState(Fixtures.draft(product, "1.0.0"), ReleaseState.PUBLISHED);
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(p);
          repos.releases().insert(release);
          return null;
        });
  }

  @AfterEach
  void everyConnectionIsReturned() {
    if (test == null) {
      return;
    }
    try {
      assertThat(db.activeConnections()).as("connections still borrowed (a leak)").isZero();
    } finally {
      test.close();
    }
  }

  private <T> T write(Function<RolloutRepository, T> work) {
    return tx.write(repos -> work.apply(repos.rollouts()));
  }

  private RolloutSpec spec() {
    return RolloutSpec.builder(
            release.id(),
            List.of(
                new StageSpec(new StageSelection.Percent(10), 90, 5, Gate.NONE),
                new StageSpec(new StageSelection.Percent(50), 95, 4, Gate.MANUAL),
                new StageSpec(
                    new StageSelection.Percent(100),
                    99,
                    1,
                    new Gate.Webhook(URI.create("https://ci.example.com/gate?x=1")))))
        .filter("tag==\"" + Fixtures.EVIL.replace("\"", "") + "\"")
        .type(ActionType.TIMEFORCED)
        .forcedAt(Optional.of(T0.plusSeconds(3600)))
        .startAt(Optional.of(T0.plusSeconds(60)))
        .window(
            Optional.of(
                new MaintenanceWindow(
                    "0 2 * * *", Duration.ofHours(2), ZoneId.of("Europe/Berlin"))))
        .confirmation(ConfirmationPolicy.DDI_SUCCESS)
        .inProgressTimeout(Duration.ofHours(2))
        .retry(new RetryPolicy(3, EnumSet.of(FailureKind.TIMEOUT)))
        .dynamic(true)
        .sequentialTest(Optional.of(new SequentialTestSpec(0.02, 0.2, Optional.of(0.03))))
        .build();
  }

  private Rollout created() {
    return Rollout.created(
        RolloutId.generate(Clock.fixed(T0, ZoneOffset.UTC)), spec(), product, "op", T0);
  }

  @Test
  void aRolloutRoundTripsWithItsSpecStateAndHalt() {
    Rollout r = created();
    write(
        rollouts -> {
          rollouts.insert(r);
          return null;
        });
    var v1 = write(rollouts -> rollouts.find(r.id()));
    assertThat(v1).contains(r);
    var v2 = write(rollouts -> rollouts.counters(r.id()));
    assertThat(v2).containsExactly(StageCounters.ZERO, StageCounters.ZERO, StageCounters.ZERO);

    Rollout halted =
        r.start(T0.plusSeconds(61))
            .withBaseline(0.0125)
            .advance(T0.plusSeconds(62))
            .withGateReply("503 Service Unavailable: not yet", T0.plusSeconds(63))
            .halt(
                new Halt(
                    Halt.Kind.SEQUENTIAL_TEST,
                    "stage 1 of 3: 4 failed " + Fixtures.EVIL,
                    0,
                    new StageCounters(100, 90, 6, 4, 0),
                    Optional.of(4.75),
                    T0.plusSeconds(64),
                    "system"));
    write(
        rollouts -> {
          rollouts.update(halted);
          return null;
        });
    var v3 = write(rollouts -> rollouts.findForUpdate(r.id()));
    assertThat(v3).contains(halted);
    var v4 = write(rollouts -> rollouts.find(RolloutId.generate(Clock.systemUTC())));
    assertThat(v4).isEmpty();
  }

  @Test
  void rolloutsAreListedNewestFirstAndByState() {
    Rollout a = created();
    Rollout b =
        Rollout.created(
            RolloutId.generate(Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC)),
            spec(),
            product,
            "op",
            T0.plusSeconds(1));
    Rollout running = b.start(T0.plusSeconds(120));
    write(
        rollouts -> {
          rollouts.insert(a);
          rollouts.insert(b);
          rollouts.update(running);
          return null;
        });
    var v5 = write(rollouts -> rollouts.list(Optional.empty(), 10));
    assertThat(v5).containsExactly(running, a);
    var v6 = write(rollouts -> rollouts.list(Optional.of(RolloutState.CREATED), 10));
    assertThat(v6).containsExactly(a);
    var v7 = write(rollouts -> rollouts.idsIn(List.of(RolloutState.RUNNING)));
    assertThat(v7).containsExactly(b.id());
  }

  @Test
  void rolloutsAreFilteredByTheirFieldsAndPagedInEitherCreationOrder() {
    List<Rollout> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant when = T0.plusSeconds(i);
      all.add(
          Rollout.created(
              RolloutId.generate(Clock.fixed(when, ZoneOffset.UTC)), spec(), product, "op", when));
    }
    Rollout running = all.get(2).start(T0.plusSeconds(120));
    write(
        rollouts -> {
          all.forEach(rollouts::insert);
          rollouts.update(running);
          return null;
        });
    ListFilter created = RolloutFilters.parse("state==created;release==" + release.id().value());

    var oldestFirst =
        write(
            rollouts ->
                rollouts.list(Optional.empty(), created, SortOrder.ASCENDING, Optional.empty(), 2));
    assertThat(oldestFirst)
        .extracting(Rollout::id)
        .containsExactly(all.get(0).id(), all.get(1).id());
    PageCursor cursor = new PageCursor(all.get(1).createdAt(), all.get(1).id().value());
    var next =
        write(
            rollouts ->
                rollouts.list(
                    Optional.empty(), created, SortOrder.ASCENDING, Optional.of(cursor), 2));
    assertThat(next).extracting(Rollout::id).containsExactly(all.get(3).id());
    var newestFirst =
        write(
            rollouts ->
                rollouts.list(
                    Optional.empty(), created, SortOrder.DESCENDING, Optional.of(cursor), 5));
    assertThat(newestFirst).extracting(Rollout::id).containsExactly(all.get(0).id());

    var byTime =
        write(
            rollouts ->
                rollouts.list(
                    Optional.empty(),
                    RolloutFilters.parse(
                        "created=ge=" + T0.plusSeconds(1) + ";created=lt=" + T0.plusSeconds(3)),
                    SortOrder.DESCENDING,
                    Optional.empty(),
                    10));
    assertThat(byTime).extracting(Rollout::id).containsExactly(all.get(2).id(), all.get(1).id());
    var byProductPattern =
        write(
            rollouts ->
                rollouts.list(
                    Optional.empty(),
                    RolloutFilters.parse("product==acme-*;state!=created"),
                    SortOrder.DESCENDING,
                    Optional.empty(),
                    10));
    assertThat(byProductPattern).containsExactly(running);
    var injected =
        write(
            rollouts ->
                rollouts.list(
                    Optional.empty(),
                    RolloutFilters.parse("release==\"x' OR 1=1 --\""),
                    SortOrder.DESCENDING,
                    Optional.empty(),
                    10));
    assertThat(injected).isEmpty();
  }

  /**
   * Members of {@code r} in {@code stage}, {@code n} of each status given, ids from {@code from}.
   */
  private static List<RolloutDevice> inStage(
      Rollout r, int stage, int from, Map<MemberStatus, Integer> counts) {
    List<RolloutDevice> out = new ArrayList<>();
    int i = from;
    for (var e : new java.util.TreeMap<>(counts).entrySet()) {
      for (int k = 0; k < e.getValue(); k++, i++) {
        ControllerId d = new ControllerId("dev-" + i);
        out.add(
            new RolloutDevice(
                r.id(),
                d,
                StageMembership.rank(r.id(), d),
                stage,
                e.getKey(),
                e.getKey() == MemberStatus.PENDING
                    ? Optional.empty()
                    : Optional.of(new ActionId(i + 1)),
                1,
                false,
                T0));
      }
    }
    return out;
  }

  @Test
  void countersAreCountedFromTheMembersOfEachStage() {
    Rollout r = created();
    List<RolloutDevice> members = new ArrayList<>();
    members.addAll(inStage(r, 0, 0, Map.of(MemberStatus.SUCCEEDED, 2)));
    members.addAll(
        inStage(
            r,
            1,
            100,
            Map.of(
                MemberStatus.PENDING, 5,
                MemberStatus.OPEN, 4,
                MemberStatus.RETRY, 2,
                MemberStatus.CANCELING, 1,
                MemberStatus.SUCCEEDED, 1,
                MemberStatus.FAILED, 1,
                MemberStatus.CANCELED, 1)));
    members.addAll(inStage(r, -1, 200, Map.of(MemberStatus.PENDING, 3)));
    write(
        rollouts -> {
          rollouts.insert(r);
          return rollouts.addMembers(members);
        });
    var counted = write(rollouts -> rollouts.counters(r.id()));
    assertThat(counted)
        .containsExactly(
            new StageCounters(2, 0, 2, 0, 0),
            new StageCounters(10, 7, 1, 1, 1),
            StageCounters.ZERO);

    // A device's outcome moves it between the counters as soon as its row is saved.
    RolloutDevice open =
        members.stream().filter(m -> m.status() == MemberStatus.OPEN).findFirst().orElseThrow();
    write(
        rollouts -> {
          rollouts.saveMember(open.with(MemberStatus.FAILED, T0.plusSeconds(1)));
          return null;
        });
    var afterFailure = write(rollouts -> rollouts.counters(r.id()));
    assertThat(afterFailure.get(1)).isEqualTo(new StageCounters(10, 6, 1, 2, 1));
    RolloutId unknown = RolloutId.generate(Clock.fixed(T0.plusSeconds(7), ZoneOffset.UTC));
    List<StageCounters> none = write(rollouts -> rollouts.counters(unknown));
    assertThat(none).isEmpty();
  }

  @Test
  void aReportChangesOnlyTheMemberOfItsCurrentActionWhileOpen() {
    Rollout r = created();
    List<RolloutDevice> members =
        inStage(
            r,
            0,
            0,
            Map.of(MemberStatus.OPEN, 2, MemberStatus.CANCELING, 1, MemberStatus.RETRY, 1));
    RolloutDevice open = members.get(0).markedTimedOut();
    RolloutDevice canceling =
        members.stream()
            .filter(m -> m.status() == MemberStatus.CANCELING)
            .findFirst()
            .orElseThrow();
    RolloutDevice retry =
        members.stream().filter(m -> m.status() == MemberStatus.RETRY).findFirst().orElseThrow();
    write(
        rollouts -> {
          rollouts.insert(r);
          rollouts.addMembers(members);
          rollouts.saveMember(open);
          return null;
        });
    Instant later = T0.plusSeconds(30);
    ActionId current = open.action().orElseThrow();
    boolean stale =
        write(
            rollouts ->
                rollouts.reportOn(
                    r.id(),
                    open.device(),
                    new ActionId(current.value() + 1000),
                    Optional.of(MemberStatus.SUCCEEDED),
                    later));
    assertThat(stale).isFalse();
    boolean touched =
        write(
            rollouts -> rollouts.reportOn(r.id(), open.device(), current, Optional.empty(), later));
    assertThat(touched).isTrue();
    Optional<RolloutDevice> read1 = write(rollouts -> rollouts.member(r.id(), open.device()));
    assertThat(read1).contains(open.with(MemberStatus.OPEN, later));
    boolean canceled =
        write(
            rollouts ->
                rollouts.reportOn(
                    r.id(),
                    canceling.device(),
                    canceling.action().orElseThrow(),
                    Optional.of(MemberStatus.CANCELED),
                    later));
    assertThat(canceled).isTrue();
    Optional<RolloutDevice> read2 = write(rollouts -> rollouts.member(r.id(), canceling.device()));
    assertThat(read2).contains(canceling.with(MemberStatus.CANCELED, later));
    boolean waiting =
        write(
            rollouts ->
                rollouts.reportOn(
                    r.id(),
                    retry.device(),
                    retry.action().orElseThrow(),
                    Optional.of(MemberStatus.SUCCEEDED),
                    later));
    assertThat(waiting).isFalse();
    Optional<RolloutDevice> read3 = write(rollouts -> rollouts.member(r.id(), retry.device()));
    assertThat(read3).contains(retry);
  }

  @Test
  void aPageOfMatchedDevicesIsRecordedRankedAndWithoutAStage() {
    Rollout r = created();
    Product other = Fixtures.product("other-phone", List.of(Fixtures.certifier("lab2")), 1);
    tx.write(
        repos -> {
          repos.certifiers().insert(Fixtures.certifier("lab2"));
          repos.products().insert(other);
          for (int i = 0; i < 12; i++) {
            Set<String> tags = i % 3 == 0 ? Set.of("canary") : Set.of();
            Device d = Device.registered(new ControllerId("dev-" + (100 + i)), product, tags, T0);
            repos.devices().insert(d, Sha256.of(new byte[] {(byte) i}));
          }
          repos.devices().decommission(new ControllerId("dev-103"), T0);
          repos
              .devices()
              .insert(
                  Device.registered(new ControllerId("dev-050"), other.name(), Set.of(), T0),
                  Sha256.of(new byte[] {99}));
          repos.rollouts().insert(r);
          return null;
        });
    // Not canary: 8 of the product's devices (dev-103 is canary and decommissioned anyway).
    DeviceFilter filter = DeviceFilters.parse("tag!=canary");
    RolloutRepository.MemberPage first =
        write(rollouts -> rollouts.recordPage(r.id(), product, filter, Optional.empty(), 5, T0));
    assertThat(first)
        .isEqualTo(new RolloutRepository.MemberPage(5, Optional.of(new ControllerId("dev-107"))));
    RolloutRepository.MemberPage rest =
        write(rollouts -> rollouts.recordPage(r.id(), product, filter, first.last(), 5, T0));
    assertThat(rest)
        .isEqualTo(new RolloutRepository.MemberPage(3, Optional.of(new ControllerId("dev-111"))));
    RolloutRepository.MemberPage none =
        write(rollouts -> rollouts.recordPage(r.id(), product, filter, rest.last(), 5, T0));
    assertThat(none).isEqualTo(new RolloutRepository.MemberPage(0, Optional.empty()));

    List<RolloutDevice> recorded =
        write(rollouts -> rollouts.members(r.id(), MemberStatus.PENDING, 0, 100));
    assertThat(recorded).isEmpty(); // no stage yet
    write(rollouts -> rollouts.stageByRank(r.id(), 0, 100));
    List<RolloutDevice> staged =
        write(rollouts -> rollouts.members(r.id(), MemberStatus.PENDING, 0, 100));
    assertThat(staged)
        .extracting(m -> m.device().value())
        .containsExactlyInAnyOrder(
            "dev-101", "dev-102", "dev-104", "dev-105", "dev-107", "dev-108", "dev-110", "dev-111");
    for (RolloutDevice m : staged) {
      assertThat(m)
          .isEqualTo(
              new RolloutDevice(
                  r.id(),
                  m.device(),
                  StageMembership.rank(r.id(), m.device()),
                  0,
                  MemberStatus.PENDING,
                  Optional.empty(),
                  0,
                  false,
                  T0));
    }
    // A page recorded again leaves its members as they are.
    write(
        rollouts -> {
          rollouts.saveMember(staged.getFirst().offered(new ActionId(7), T0.plusSeconds(5)));
          return rollouts.recordPage(r.id(), product, filter, Optional.empty(), 100, T0);
        });
    long count = write(rollouts -> rollouts.memberCount(r.id()));
    assertThat(count).isEqualTo(8);
    Optional<RolloutDevice> offered =
        write(rollouts -> rollouts.member(r.id(), staged.getFirst().device()));
    assertThat(offered.orElseThrow().status()).isEqualTo(MemberStatus.OPEN);
  }

  @Test
  void stagesAreCutByRankAndMembersAreFoundByStatus() {
    Rollout r = created();
    List<RolloutDevice> members = new ArrayList<>();
    IntStream.range(0, 40)
        .forEach(
            i -> {
              ControllerId d = new ControllerId("dev-" + i);
              members.add(
                  new RolloutDevice(
                      r.id(),
                      d,
                      StageMembership.rank(r.id(), d),
                      -1,
                      MemberStatus.PENDING,
                      Optional.empty(),
                      0,
                      false,
                      T0));
            });
    int added =
        write(
            rollouts -> {
              rollouts.insert(r);
              return rollouts.addMembers(members);
            });
    assertThat(added).isEqualTo(40);
    var v9 = write(rollouts -> rollouts.addMembers(members.subList(0, 5)));
    assertThat(v9).isZero();
    var v10 = write(rollouts -> rollouts.memberCount(r.id()));
    assertThat(v10).isEqualTo(40);

    write(rollouts -> rollouts.stageByRank(r.id(), 0, 4) + rollouts.stageByRank(r.id(), 1, 16));
    List<ControllerId> byRank =
        members.stream()
            .sorted(Comparator.comparingLong(RolloutDevice::rank))
            .map(RolloutDevice::device)
            .toList();
    List<RolloutDevice> first =
        write(rollouts -> rollouts.members(r.id(), MemberStatus.PENDING, 0, 100));
    assertThat(first)
        .extracting(RolloutDevice::device)
        .containsExactlyElementsOf(byRank.subList(0, 4));
    var v11 = write(rollouts -> rollouts.members(r.id(), MemberStatus.PENDING, 1, 100));
    assertThat(v11)
        .extracting(RolloutDevice::device)
        .containsExactlyElementsOf(byRank.subList(0, 20));
    var v12 = write(rollouts -> rollouts.countMembers(r.id(), MemberStatus.PENDING, 1));
    assertThat(v12).isEqualTo(20);

    RolloutDevice offered = first.getFirst().offered(new ActionId(42), T0.plusSeconds(10));
    write(
        rollouts -> {
          rollouts.saveMember(offered);
          rollouts.saveMember(
              first.get(1).offered(new ActionId(43), T0.plusSeconds(20)).markedTimedOut());
          return null;
        });
    var v13 = write(rollouts -> rollouts.member(r.id(), offered.device()));
    assertThat(v13).contains(offered);
    var v14 = write(rollouts -> rollouts.countMembers(r.id(), MemberStatus.PENDING, 0));
    assertThat(v14).isEqualTo(2);
    var v15 = write(rollouts -> rollouts.silentSince(r.id(), T0.plusSeconds(15), 10));
    assertThat(v15).containsExactly(offered);
    var v16 = write(rollouts -> rollouts.silentSince(r.id(), T0.plusSeconds(21), 10));
    assertThat(v16).hasSize(2).last().satisfies(m -> assertThat(m.timedOut()).isTrue());
  }

  @Test
  void thousandsOfMembersAreAddedWithTheirFieldsAndMembersAlreadyThereAreKept() {
    Rollout r = created();
    List<RolloutDevice> members = new ArrayList<>();
    // More than one multi-row statement's worth, with every field varied.
    for (int i = 0; i < 1_000; i++) {
      ControllerId d = new ControllerId(String.format("dev-%04d", i));
      members.add(
          new RolloutDevice(
              r.id(),
              d,
              StageMembership.rank(r.id(), d),
              i % 3 - 1,
              i % 2 == 0 ? MemberStatus.PENDING : MemberStatus.OPEN,
              i % 2 == 0 ? Optional.empty() : Optional.of(new ActionId(1_000 + i)),
              i % 4,
              i % 5 == 0,
              T0.plusMillis(i)));
    }
    RolloutDevice earlier = members.get(7).with(MemberStatus.SUCCEEDED, T0.plusSeconds(99));
    var first =
        write(
            rollouts -> {
              rollouts.insert(r);
              return rollouts.addMembers(List.of(earlier));
            });
    assertThat(first).isEqualTo(1);

    var added = write(rollouts -> rollouts.addMembers(members));

    assertThat(added).isEqualTo(999);
    var count = write(rollouts -> rollouts.memberCount(r.id()));
    assertThat(count).isEqualTo(1_000);
    for (int i : new int[] {0, 1, 5, 443, 444, 445, 998, 999}) {
      RolloutDevice m = members.get(i);
      var stored = write(rollouts -> rollouts.member(r.id(), m.device()));
      assertThat(stored).contains(m);
    }
    var kept = write(rollouts -> rollouts.member(r.id(), earlier.device()));
    assertThat(kept).contains(earlier);
  }

  @Test
  void membersSavedAtOnceKeepEveryFieldAndTheOthersAreLeftAlone() {
    Rollout r = created();
    List<RolloutDevice> pending = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ControllerId d = new ControllerId(String.format("dev-%04d", i));
      pending.add(
          new RolloutDevice(
              r.id(),
              d,
              StageMembership.rank(r.id(), d),
              -1,
              MemberStatus.PENDING,
              Optional.empty(),
              0,
              false,
              T0));
    }
    write(
        rollouts -> {
          rollouts.insert(r);
          return rollouts.addMembers(pending);
        });
    // More than two multi-row statements' worth, every field varied, the last 100 not saved.
    List<RolloutDevice> saved = new ArrayList<>();
    MemberStatus[] statuses = MemberStatus.values();
    for (int i = 0; i < 900; i++) {
      RolloutDevice m = pending.get(i);
      saved.add(
          new RolloutDevice(
              r.id(),
              m.device(),
              m.rank() ^ i,
              i % 3 - 1,
              statuses[i % statuses.length],
              i % 2 == 0 ? Optional.empty() : Optional.of(new ActionId(5_000 + i)),
              i % 4,
              i % 5 == 0,
              T0.plusMillis(i)));
    }

    write(
        rollouts -> {
          rollouts.saveMembers(saved);
          return null;
        });

    for (int i : new int[] {0, 1, 2, 399, 400, 401, 799, 800, 898, 899}) {
      var stored = write(rollouts -> rollouts.member(r.id(), saved.get(i).device()));
      assertThat(stored).contains(saved.get(i));
    }
    for (int i : new int[] {900, 999}) {
      var stored = write(rollouts -> rollouts.member(r.id(), pending.get(i).device()));
      assertThat(stored).contains(pending.get(i));
    }
  }

  @Test
  void onlyOneOwnerHoldsTheLeaseUntilItExpires() {
    Rollout r = created();
    write(
        rollouts -> {
          rollouts.insert(r);
          return null;
        });
    Instant until = T0.plusSeconds(120);
    Instant later = T0.plusSeconds(300);
    var v17 = write(rollouts -> rollouts.claim(r.id(), "a", T0, until));
    assertThat(v17).isPresent();
    var v18 = write(rollouts -> rollouts.claim(r.id(), "b", T0.plusSeconds(60), until));
    assertThat(v18).isEmpty();
    var v19 = write(rollouts -> rollouts.claim(r.id(), "a", T0.plusSeconds(60), until));
    assertThat(v19).isPresent();
    var v20 = write(rollouts -> rollouts.claim(r.id(), "b", T0.plusSeconds(121), later));
    assertThat(v20).isPresent();
    assertThat(v20.getAsLong()).isGreaterThan(v19.getAsLong());
    write(
        rollouts -> {
          rollouts.release(r.id(), "a");
          return null;
        });
    var v21 = write(rollouts -> rollouts.claim(r.id(), "a", T0.plusSeconds(122), until));
    assertThat(v21).isEmpty();
    write(
        rollouts -> {
          rollouts.release(r.id(), "b");
          return null;
        });
    var v22 = write(rollouts -> rollouts.claim(r.id(), "a", T0.plusSeconds(122), until));
    assertThat(v22).isPresent();
  }

  @Test
  void anOwnerThatLostItsLeaseCannotRenewIt() {
    Rollout r = created();
    write(
        rollouts -> {
          rollouts.insert(r);
          return null;
        });
    long paused =
        write(rollouts -> rollouts.claim(r.id(), "a", T0, T0.plusSeconds(15))).orElseThrow();
    boolean renewed1 = write(rollouts -> rollouts.renew(r.id(), "a", paused, T0.plusSeconds(20)));
    assertThat(renewed1).isTrue();
    // "a" pauses past its lease; "b" takes the rollout over.
    long taken =
        write(rollouts -> rollouts.claim(r.id(), "b", T0.plusSeconds(21), T0.plusSeconds(36)))
            .orElseThrow();

    boolean renewed2 = write(rollouts -> rollouts.renew(r.id(), "a", paused, T0.plusSeconds(40)));
    assertThat(renewed2).isFalse();
    boolean renewed3 = write(rollouts -> rollouts.renew(r.id(), "b", taken, T0.plusSeconds(40)));
    assertThat(renewed3).isTrue();
    // Even the same owner name with an old epoch (a restarted instance reusing its name) is fenced.
    boolean renewed4 = write(rollouts -> rollouts.renew(r.id(), "b", paused, T0.plusSeconds(40)));
    assertThat(renewed4).isFalse();
  }

  @Test
  void progressRoundTrips() {
    Rollout r = created();
    RolloutProgress progress =
        RolloutProgress.START
            .membershipAt(Optional.of(new ControllerId("dev-9")), true)
            .joinedAt(T0.plusSeconds(5), new ControllerId("dev-10"))
            .gateCheckedAt(T0.plusSeconds(6));
    write(
        rollouts -> {
          rollouts.insert(r);
          assertThat(rollouts.progress(r.id())).isEqualTo(RolloutProgress.START);
          rollouts.saveProgress(r.id(), progress);
          return null;
        });
    var v23 = write(rollouts -> rollouts.progress(r.id()));
    assertThat(v23).isEqualTo(progress);
  }

  @Test
  void theBaselineCountsOnlyFinishedRolloutsOfTheProduct() {
    Rollout finished = created().begin(T0).advance(T0).advance(T0).advance(T0).finish(T0);
    Rollout running = created().start(T0);
    write(
        rollouts -> {
          rollouts.insert(finished);
          rollouts.insert(running);
          rollouts.addMembers(
              inStage(finished, 0, 0, Map.of(MemberStatus.SUCCEEDED, 9, MemberStatus.FAILED, 1)));
          rollouts.addMembers(
              inStage(
                  finished,
                  2,
                  100,
                  Map.of(
                      MemberStatus.SUCCEEDED, 88,
                      MemberStatus.FAILED, 2,
                      MemberStatus.CANCELED, 4,
                      MemberStatus.PENDING, 6)));
          rollouts.addMembers(inStage(running, 0, 0, Map.of(MemberStatus.FAILED, 10)));
          return null;
        });
    var v24 = write(rollouts -> rollouts.finishedOutcomes(product));
    assertThat(v24).containsExactly(97, 3);
    var v25 = write(rollouts -> rollouts.finishedOutcomes(new ProductName("other")));
    assertThat(v25).containsExactly(0, 0);
  }
}
