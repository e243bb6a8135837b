package dev.sluice.store;

import static dev.sluice.store.Fixtures.EVIL;
import static dev.sluice.store.Fixtures.T0;
import static dev.sluice.store.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.DeviceRepository.Registration;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device store's contract, run unchanged on SQLite ({@link SqliteDeviceRepositoryTest}) and
 * PostgreSQL ({@link PostgresDeviceRepositoryTest}).
 */
abstract class DeviceRepositoryContract {
  static final ProductName PHONE = new ProductName("acme-phone");
  static final ProductName WATCH = new ProductName("acme-watch");

  private TestDatabase test;
  private Transactions tx;

  protected abstract Dialect dialect();

  @BeforeEach
  void openFreshDatabaseWithTwoProducts() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(Fixtures.product(PHONE.value(), List.of(lab), 1));
          repos.products().insert(Fixtures.product(WATCH.value(), List.of(lab), 1));
          return null;
        });
  }

  @AfterEach
  void everyConnectionIsReturned() {
    try {
      assertThat(test.database().activeConnections()).isZero();
    } finally {
      test.close();
    }
  }

  private <T> T write(Function<DeviceRepository, T> work) {
    return tx.write(repos -> work.apply(repos.devices()));
  }

  static Device device(String id, ProductName product, String... tags) {
    return Device.registered(new ControllerId(id), product, Set.of(tags), T0);
  }

  static Sha256 token(String seed) {
    return Sha256.of(seed.getBytes(StandardCharsets.UTF_8));
  }

  private void register(Device... devices) {
    write(
        repo -> {
          for (Device d : devices) {
            repo.insert(d, token(d.id().value()));
          }
          return null;
        });
  }

  private Optional<Device> find(String id) {
    return tx.read(repos -> repos.devices().find(new ControllerId(id)));
  }

  private long count(Optional<ProductName> product, DeviceFilter filter) {
    return tx.read(repos -> repos.devices().count(product, filter));
  }

  private List<Device> page(
      Optional<ProductName> product, DeviceFilter filter, Optional<ControllerId> after, int limit) {
    return tx.read(repos -> repos.devices().list(product, filter, after, limit));
  }

  private List<String> ids(String filter) {
    return ids(Optional.empty(), DeviceFilters.parse(filter));
  }

  private List<String> ids(Optional<ProductName> product, DeviceFilter filter) {
    return page(product, filter, Optional.empty(), 1000).stream().map(d -> d.id().value()).toList();
  }

  @Test
  void registeredDeviceRoundTripsWithTagsAndTokenHash() {
    Device device = device("dev-1", PHONE, "eu", "beta");
    register(device);

    assertThat(find(device.id().value())).contains(device);
    assertThat(tx.<Optional<Sha256>>read(repos -> repos.devices().targetTokenHash(device.id())))
        .contains(token("dev-1"));
    assertThat(find("nope")).isEmpty();
    assertThat(
            tx.<Optional<Sha256>>read(
                repos -> repos.devices().targetTokenHash(new ControllerId("nope"))))
        .isEmpty();
  }

  @Test
  void installedVersionsAreCountedPerProduct() {
    register(device("v1", PHONE), device("v2", PHONE), device("v3", PHONE), device("w1", WATCH));
    write(
        repo -> {
          repo.setInstalled(new ControllerId("v1"), new Version("1.0.0"), Optional.empty(), at(1));
          repo.setInstalled(new ControllerId("v2"), new Version("1.0.0"), Optional.empty(), at(1));
          repo.setInstalled(new ControllerId("w1"), new Version("3.0"), Optional.empty(), at(1));
          return null;
        });

    java.util.Map<String, Long> phones =
        tx.read(repos -> repos.devices().versionCounts(Optional.of(PHONE)));
    java.util.Map<String, Long> all =
        tx.read(repos -> repos.devices().versionCounts(Optional.empty()));

    assertThat(phones).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("1.0.0", 2L, "", 1L));
    assertThat(all)
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("1.0.0", 2L, "", 1L, "3.0", 1L));
  }

  @Test
  void takenControllerIdIsAConflictAndABatchWithOneTakenIdStoresNothing() {
    register(device("dev-1", PHONE));

    assertThatThrownBy(() -> register(device("dev-1", WATCH)))
        .isInstanceOfSatisfying(
            SluiceException.Conflict.class,
            c -> assertThat(c.conflictKind()).isEqualTo(ConflictKind.ALREADY_EXISTS))
        .hasMessageContaining("dev-1");
    assertThatThrownBy(
            () ->
                write(
                    repo -> {
                      repo.insertAll(
                          List.of(
                              new Registration(device("dev-2", PHONE, "x"), token("2")),
                              new Registration(device("dev-1", PHONE), token("1"))));
                      return null;
                    }))
        .isInstanceOf(SluiceException.Conflict.class);

    assertThat(find("dev-2")).isEmpty();
    assertThat(find("dev-1").orElseThrow().product()).isEqualTo(PHONE);
  }

  @Test
  void existingNamesOnlyRegisteredIds() {
    register(device("a", PHONE), device("b", PHONE));
    List<ControllerId> asked = new ArrayList<>();
    IntStream.range(0, 1200).forEach(i -> asked.add(new ControllerId("n" + i)));
    asked.add(new ControllerId("b"));

    assertThat(tx.<Set<ControllerId>>read(repos -> repos.devices().existing(asked)))
        .containsExactly(new ControllerId("b"));
  }

  @Test
  void bulkInsertOfThousandsIsListedInKeysetPagesByControllerIdBytes() {
    List<Registration> all = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      all.add(
          new Registration(
              device(String.format("d%05d", i), i % 2 == 0 ? PHONE : WATCH, "t" + (i % 3)),
              token("t" + i)));
    }
    all.add(new Registration(device("Z", PHONE), token("Z")));
    all.add(new Registration(device("a", PHONE), token("a")));
    write(
        repo -> {
          repo.insertAll(all);
          return null;
        });

    List<String> seen = new ArrayList<>();
    Optional<ControllerId> after = Optional.empty();
    while (true) {
      Optional<ControllerId> cursor = after;
      List<Device> page = page(Optional.empty(), DeviceFilters.all(), cursor, 700);
      page.forEach(d -> seen.add(d.id().value()));
      if (page.size() < 700) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
    assertThat(seen).hasSize(2502).isSorted().startsWith("Z", "a", "d00000").endsWith("d02499");
    assertThat(count(Optional.of(PHONE), DeviceFilters.all())).isEqualTo(1252);
    assertThat(count(Optional.of(WATCH), DeviceFilters.parse("tag==t1"))).isEqualTo(417);
    assertThat(find("d00004").orElseThrow().tags()).containsExactly("t1");
  }

  @Test
  void filtersSelectByTagAttributeStatusProductAndVersion() {
    register(
        device("p1", PHONE, "eu", "beta"), device("p2", PHONE, "us"), device("w1", WATCH, "eu"));
    write(
        repo -> {
          repo.updateAttributes(new ControllerId("p1"), Map.of("hw", "2", "sw.rev", "a"), at(1));
          repo.updateAttributes(new ControllerId("w1"), Map.of("hw", "3"), at(1));
          repo.setInstalled(new ControllerId("p1"), new Version("1.10.0"), Optional.empty(), at(2));
          repo.setInstalled(new ControllerId("p2"), new Version("1.9"), Optional.empty(), at(2));
          repo.setStatus(new ControllerId("p2"), DeviceStatus.ERROR, at(3));
          return null;
        });

    assertThat(ids("")).containsExactly("p1", "p2", "w1");
    assertThat(ids("tag==eu")).containsExactly("p1", "w1");
    assertThat(ids("tag!=eu")).containsExactly("p2");
    assertThat(ids("tag=in=(beta,us)")).containsExactly("p1", "p2");
    assertThat(ids("tag=out=(beta,us)")).containsExactly("w1");
    assertThat(ids("attribute.hw=in=(2,3)")).containsExactly("p1", "w1");
    assertThat(ids("attribute.hw!=2")).containsExactly("p2", "w1");
    assertThat(ids("attribute.sw.rev==a")).containsExactly("p1");
    assertThat(ids("status==error")).containsExactly("p2");
    assertThat(ids("status=in=(unknown,error);product==acme-phone")).containsExactly("p1", "p2");
    assertThat(ids("status=out=(unknown)")).containsExactly("p2");
    assertThat(ids("version=gt=1.9")).containsExactly("p1");
    assertThat(ids("version=le=1.9.0")).containsExactly("p2");
    assertThat(ids("version!=1.9")).containsExactly("p1", "w1");
    assertThat(ids("version==1.*")).containsExactly("p1", "p2");
    assertThat(ids("id==p* and (tag==us or attribute.hw==2)")).containsExactly("p1", "p2");
    assertThat(ids(Optional.of(WATCH), DeviceFilters.parse("tag==eu"))).containsExactly("w1");
    assertThat(count(Optional.empty(), DeviceFilters.parse("tag==eu"))).isEqualTo(2);
  }

  @Test
  void wildcardsMatchCaseSensitivelyAndTreatLikeAndGlobCharactersLiterally() {
    register(device("a", PHONE), device("b", PHONE), device("c", PHONE), device("d", PHONE));
    write(
        repo -> {
          repo.updateTags(new ControllerId("a"), Set.of("EU-west", "50%_off"), at(1));
          repo.updateTags(new ControllerId("b"), Set.of("eu-west", "50x-off"), at(1));
          repo.updateTags(new ControllerId("c"), Set.of("a[b]?c", "back\\slash"), at(1));
          repo.updateAttributes(new ControllerId("d"), Map.of("note", EVIL), at(1));
          return null;
        });

    assertThat(ids("tag==eu-*")).containsExactly("b");
    assertThat(ids("tag==EU*")).containsExactly("a");
    assertThat(ids("tag==\"50%_*\"")).containsExactly("a");
    assertThat(ids("tag==\"a[b]?*\"")).containsExactly("c");
    assertThat(ids("tag==\"back\\\\*\"")).containsExactly("c");
    assertThat(ids("tag==*b]?c")).containsExactly("c");
    assertThat(ids("attribute.note==\"" + EVIL.replace("\\", "\\\\").replace("\"", "\\\"") + "\""))
        .containsExactly("d");
    assertThat(ids("attribute.note==*🚀*")).containsExactly("d");
    assertThat(ids("tag==*")).containsExactly("a", "b", "c");
  }

  @Test
  void lastSeenIsBatchedAndNeverLowered() {
    register(device("a", PHONE), device("b", PHONE), device("c", PHONE));
    write(
        repo -> {
          repo.touchLastSeen(
              Map.of(
                  new ControllerId("a"), at(10),
                  new ControllerId("b"), at(5),
                  new ControllerId("ghost"), at(5)));
          return null;
        });
    write(
        repo -> {
          repo.touchLastSeen(Map.of(new ControllerId("a"), at(3), new ControllerId("b"), at(7)));
          return null;
        });

    assertThat(lastSeen("a")).contains(at(10));
    assertThat(lastSeen("b")).contains(at(7));
    assertThat(lastSeen("c")).isEmpty();
    assertThat(ids("lastseen=lt=" + at(8))).containsExactly("b");
    assertThat(ids("lastseen=ge=" + at(7))).containsExactly("a", "b");
  }

  private Optional<Instant> lastSeen(String id) {
    return find(id).orElseThrow().lastSeen();
  }

  @Test
  void updatesReplaceAttributesTagsInstalledVersionAndStatus() {
    Release release = Fixtures.draft(PHONE, "2.0.0");
    tx.write(
        repos -> {
          repos.releases().insert(release);
          return null;
        });
    register(device("a", PHONE, "old"));
    ControllerId a = new ControllerId("a");
    write(
        repo -> {
          repo.updateAttributes(a, Map.of("hw", "1", "x", "y"), at(1));
          repo.updateAttributes(a, Map.of("hw", "2"), at(2));
          repo.updateTags(a, Set.of("new", "eu"), at(3));
          repo.setInstalled(a, new Version("2.0.0"), Optional.of(release.id()), at(4));
          repo.setStatus(a, DeviceStatus.IN_SYNC, at(5));
          return null;
        });

    Device found = find("a").orElseThrow();
    assertThat(found.attributes()).containsExactly(Map.entry("hw", "2"));
    assertThat(found.tags()).containsExactly("eu", "new");
    assertThat(found.installedVersion()).contains(new Version("2.0.0"));
    assertThat(found.installedRelease()).contains(release.id());
    assertThat(found.status()).isEqualTo(DeviceStatus.IN_SYNC);
    assertThat(found.registeredAt()).isEqualTo(T0);
    // The device API's read of the device and its token gives the same device.
    assertThat(tx.read(repos -> repos.devices().findWithTargetToken(a)).orElseThrow().device())
        .isEqualTo(found);
  }

  @Test
  void thePollsReadOfADeviceHasOnlyItsOwnAttributesTagsAndLiveTokenHash() {
    register(
        device("a", PHONE, "eu", "beta"),
        device("a2", PHONE, "us"),
        device("bare", WATCH),
        device("gone", PHONE, "eu"));
    ControllerId a = new ControllerId("a");
    write(
        repo -> {
          repo.updateAttributes(a, Map.of("hw", "2", "region", "eu-1"), at(1));
          repo.updateAttributes(new ControllerId("a2"), Map.of("hw", "9", "other", "x"), at(1));
          repo.touchLastSeen(Map.of(a, at(7)));
          repo.decommission(new ControllerId("gone"), at(8));
          return null;
        });

    for (String id : List.of("a", "a2", "bare", "gone")) {
      DeviceRepository.WithTargetToken read =
          tx.read(repos -> repos.devices().findWithTargetToken(new ControllerId(id))).orElseThrow();
      assertThat(read.device()).as(id).isEqualTo(find(id).orElseThrow());
      assertThat(read.targetTokenHash())
          .as(id)
          .isEqualTo(id.equals("gone") ? Optional.empty() : Optional.of(token(id)));
    }
    Device readA = tx.read(repos -> repos.devices().findWithTargetToken(a)).orElseThrow().device();
    assertThat(readA.attributes())
        .containsExactly(Map.entry("hw", "2"), Map.entry("region", "eu-1"));
    assertThat(readA.tags()).containsExactly("beta", "eu");
    assertThat(readA.lastSeen()).contains(at(7));
    Device bare =
        tx.read(repos -> repos.devices().findWithTargetToken(new ControllerId("bare")))
            .orElseThrow()
            .device();
    assertThat(bare.attributes()).isEmpty();
    assertThat(bare.tags()).isEmpty();
    assertThat(bare.lastSeen()).isEmpty();
    Optional<DeviceRepository.WithTargetToken> nobody =
        tx.read(repos -> repos.devices().findWithTargetToken(new ControllerId("nobody")));
    assertThat(nobody).isEmpty();
  }

  @Test
  void updatingAnUnknownDeviceIsNotFound() {
    ControllerId ghost = new ControllerId("ghost");
    assertThatThrownBy(
            () ->
                write(
                    repo -> {
                      repo.setStatus(ghost, DeviceStatus.ERROR, at(1));
                      return null;
                    }))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(
            () ->
                write(
                    repo -> {
                      repo.updateTags(ghost, Set.of("x"), at(1));
                      return null;
                    }))
        .isInstanceOf(SluiceException.NotFound.class);
    assertThatThrownBy(
            () ->
                write(
                    repo -> {
                      repo.setInstalled(ghost, new Version("1"), Optional.empty(), at(1));
                      return null;
                    }))
        .isInstanceOf(SluiceException.NotFound.class);
  }

  @Test
  void aFilterTheStoreCannotTranslateIsAppliedInMemory() {
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < 1203; i++) {
      devices.add(device(String.format("d%04d", i), PHONE));
    }
    write(
        repo -> {
          repo.insertAll(
              devices.stream().map(d -> new Registration(d, token(d.id().value()))).toList());
          return null;
        });
    DeviceFilter everyHundredth =
        new DeviceFilter() {
          @Override
          public boolean matches(Device device) {
            return device.id().value().endsWith("00");
          }

          @Override
          public String text() {
            return "custom";
          }
        };

    assertThat(page(Optional.empty(), everyHundredth, Optional.of(new ControllerId("d0150")), 5))
        .extracting(d -> d.id().value())
        .containsExactly("d0200", "d0300", "d0400", "d0500", "d0600");
    assertThat(count(Optional.of(PHONE), everyHundredth)).isEqualTo(13);
  }

  @Test
  void concurrentTagChangesAreAllKept() throws Exception {
    register(device("busy", PHONE));
    dev.sluice.core.device.DeviceService service =
        new dev.sluice.core.device.DeviceService(
            tx, java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    dev.sluice.core.auth.Principal operator =
        new dev.sluice.core.auth.Principal(
            "ops", dev.sluice.core.auth.Role.OPERATOR, Optional.empty());
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<?>> results = new ArrayList<>();
    try (java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(6)) {
      for (int i = 0; i < 6; i++) {
        String tag = "t" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return service.tag(operator, new ControllerId("busy"), Set.of(tag), Set.of());
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> result : results) {
        result.get();
      }
    }

    assertThat(find("busy").orElseThrow().tags())
        .containsExactly("t0", "t1", "t2", "t3", "t4", "t5");
  }
}
