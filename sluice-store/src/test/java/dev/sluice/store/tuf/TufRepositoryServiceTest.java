package dev.sluice.store.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.tuf.PendingMetadata;
import dev.sluice.core.tuf.ProductBins;
import dev.sluice.core.tuf.ProductUpdate;
import dev.sluice.core.tuf.TargetChanges;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.BadVersionException;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.RollbackException;
import dev.sluice.trust.tuf.SignatureThresholdException;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import dev.sluice.trust.tuf.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TUF repository's jobs against a real SQLite store, checked by the trust library's client as a
 * device runs it: root installation, publishing into hashed bins, moving a flat role into bins,
 * offline product roles, expiry refresh and what is served.
 */
class TufRepositoryServiceTest {
  private static final ProductName PRODUCT = new ProductName("acme-phone");
  private static final String ROLE = PRODUCT.value();

  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final MemoryOnlineKeys keys = new MemoryOnlineKeys();
  private final SigningKey rootKey = TestKeys.ed25519();
  private TestDatabase test;
  private Transactions tx;
  private TufRepository tuf;
  private byte[] root1;

  @BeforeEach
  void repositoryWithARoot() {
    test = TestDatabases.fresh(Dialect.SQLITE);
    tx = new JdbiTransactions(test.database());
    tuf = new TufRepository(keys, clock, RepositoryBuilder.Expiry.defaults());
    root1 = signedRoot(1).toBytes();
    Root installed = tx.write(r -> tuf.roots().install(r, root1));
    assertThat(installed.version()).isEqualTo(1);
  }

  @AfterEach
  void close() {
    if (test != null) {
      try {
        assertThat(test.database().activeConnections()).as("connections leaked").isZero();
      } finally {
        test.close();
      }
    }
  }

  // --- root installation ---

  @Test
  void aFirstRootWritesEmptyTargetsSnapshotAndTimestamp() {
    for (String role : List.of("targets", "snapshot", "timestamp")) {
      assertThat(tx.<OptionalLong>read(r -> r.tuf().latestVersion(role))).as(role).hasValue(1);
    }
    Snapshot snapshot = metadata("1.snapshot.json", Snapshot.class);
    assertThat(snapshot.meta().keySet()).containsExactly("targets.json");
  }

  @Test
  void aRootOfTheWrongVersionOrWithoutTheServersKeysIsRefused() {
    assertThatThrownBy(() -> tx.write(r -> tuf.roots().install(r, signedRoot(3).toBytes())))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("must be version 2");
    RepositoryBuilder builder = new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
    RoleKeySet stranger = RoleKeySet.of(1, List.of(TestKeys.ed25519()));
    Root foreign =
        builder.root(2, RoleKeySet.of(1, List.of(rootKey)), stranger, stranger, stranger);
    byte[] bytes = RepositoryBuilder.signRoot(foreign, List.of(rootKey)).toBytes();
    assertThatThrownBy(() -> tx.write(r -> tuf.roots().install(r, bytes)))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("exactly the server's targets key");
    assertThat(tx.<OptionalLong>read(r -> r.tuf().latestVersion("root"))).hasValue(1);
  }

  // --- publishing into hashed bins ---

  @Test
  void publishedTargetsAreSpreadOverBinsUnderTheProductsRole() {
    Map<String, TargetFile> files = targets("1.0.0", 300);
    ProductUpdate update = publish(TargetChanges.put(files));
    assertThat(update).isEqualTo(new ProductUpdate.Written(1));

    Targets productRole = metadata("1." + ROLE + ".json", Targets.class);
    assertThat(productRole.targets()).isEmpty();
    List<DelegatedRole> bins = productRole.delegations().orElseThrow().roles();
    assertThat(bins).hasSizeLessThanOrEqualTo(ProductBins.COUNT).hasSizeGreaterThan(100);
    int listed = 0;
    for (DelegatedRole bin : bins) {
      assertThat(bin.paths()).isInstanceOf(TargetPaths.HashPrefixes.class);
      Targets binTargets = metadata("1." + bin.name() + ".json", Targets.class);
      assertThat(binTargets.targets()).isNotEmpty();
      for (String path : binTargets.targets().keySet()) {
        assertThat(ProductBins.binOf(ROLE, path)).isEqualTo(bin.name());
        assertThat(bin.paths().matches(path)).isTrue();
      }
      listed += binTargets.targets().size();
    }
    assertThat(listed).isEqualTo(300);
    // Bins are listed in the snapshot by version alone; the roles above them with hashes.
    Snapshot snapshot = latestSnapshot();
    assertThat(snapshot.meta().get(bins.getFirst().name() + ".json"))
        .isEqualTo(MetaFile.ofVersion(1));
    assertThat(snapshot.meta().get(ROLE + ".json").sha256()).isPresent();
  }

  @Test
  void aDeviceFetchesOnlyTheBinItNeeds() {
    publish(TargetChanges.put(targets("1.0.0", 300)));
    String first = ROLE + "/1.0.0/artifact-7.bin";
    RecordingRemote remote = new RecordingRemote(tx, tuf.reader());
    TufUpdater device = device(remote);

    device.refresh();
    TargetInfo info = device.targetInfo(first).orElseThrow();
    assertThat(info.role()).isEqualTo(ProductBins.binOf(ROLE, first));
    assertThat(info.topRole()).isEqualTo(ROLE);
    assertThat(remote.takeFetched())
        .containsExactly(
            "2.root.json",
            "timestamp.json",
            "2.snapshot.json",
            "2.targets.json",
            "1." + ROLE + ".json",
            "1." + ProductBins.binOf(ROLE, first) + ".json");

    // One more target, in the same bin: a refresh reads the timestamp, the snapshot and that bin.
    String next = sameBinAs(first);
    publish(TargetChanges.put(Map.of(next, file(next))));
    device.refresh();
    assertThat(device.targetInfo(next)).isPresent();
    assertThat(remote.takeFetched())
        .containsExactly(
            "2.root.json",
            "timestamp.json",
            "3.snapshot.json",
            "2." + ProductBins.binOf(ROLE, first) + ".json");

    // Nothing changed: only the timestamp.
    device.refresh();
    assertThat(device.targetInfo(next)).isPresent();
    assertThat(remote.takeFetched()).containsExactly("2.root.json", "timestamp.json");
  }

  @Test
  void aTamperedBinIsRefused() {
    publish(TargetChanges.put(targets("1.0.0", 40)));
    String path = ROLE + "/1.0.0/artifact-3.bin";
    String bin = ProductBins.binOf(ROLE, path);
    String file = "1." + bin + ".json";
    byte[] genuine = tx.read(r -> tuf.reader().metadataFile(r, file)).orElseThrow();
    String text = new String(genuine, StandardCharsets.UTF_8);
    String sha = file(path).sha256().hex();
    String other = "0".repeat(64);
    assertThat(text).contains(sha);
    RecordingRemote remote = new RecordingRemote(tx, tuf.reader());
    remote.substitute(file, text.replace(sha, other).getBytes(StandardCharsets.UTF_8));
    TufUpdater device = device(remote);
    device.refresh();
    assertThatThrownBy(() -> device.targetInfo(path))
        .isInstanceOf(SignatureThresholdException.class);
  }

  @Test
  void aRolledBackBinIsRefused() {
    publish(TargetChanges.put(targets("1.0.0", 40)));
    String first = ROLE + "/1.0.0/artifact-1.bin";
    String bin = ProductBins.binOf(ROLE, first);
    byte[] oldBin = tx.read(r -> tuf.reader().metadataFile(r, "1." + bin + ".json")).orElseThrow();
    String next = sameBinAs(first);
    publish(TargetChanges.put(Map.of(next, file(next))));

    // A mirror serves the old bin under the new version's name.
    RecordingRemote mirror = new RecordingRemote(tx, tuf.reader());
    mirror.substitute("2." + bin + ".json", oldBin);
    TufUpdater fooled = device(mirror);
    fooled.refresh();
    assertThatThrownBy(() -> fooled.targetInfo(next)).isInstanceOf(BadVersionException.class);

    // A snapshot (even one signed with the snapshot key) listing the bin's older version, to a
    // device that saw the newer one.
    RecordingRemote remote = new RecordingRemote(tx, tuf.reader());
    TufUpdater device = device(remote);
    device.refresh();
    assertThat(device.targetInfo(next)).isPresent();
    Root root = Metadata.parse(root1, Root.class).signed();
    Snapshot current = latestSnapshot();
    Map<String, MetaFile> meta = new TreeMap<>(current.meta());
    meta.put(bin + ".json", MetaFile.ofVersion(1));
    Snapshot rolledBack =
        new Snapshot(Signed.SPEC_VERSION, current.version() + 1, current.expires(), meta);
    Metadata<Snapshot> snapshotMd =
        RepositoryBuilder.sign(rolledBack, "snapshot", root, List.of(keys.role(RoleType.SNAPSHOT)));
    Timestamp timestamp =
        new Timestamp(
            Signed.SPEC_VERSION,
            latest("timestamp") + 1,
            current.expires(),
            MetaFile.of(rolledBack.version(), snapshotMd.toBytes()));
    remote.substitute(rolledBack.version() + ".snapshot.json", snapshotMd.toBytes());
    remote.substitute(
        "timestamp.json",
        RepositoryBuilder.sign(timestamp, "timestamp", root, List.of(keys.role(RoleType.TIMESTAMP)))
            .toBytes());
    assertThatThrownBy(device::refresh).isInstanceOf(RollbackException.class);
  }

  @Test
  void removingTargetsRewritesOnlyTheirBins() {
    Map<String, TargetFile> files = targets("1.0.0", 40);
    publish(TargetChanges.put(files));
    String gone = ROLE + "/1.0.0/artifact-5.bin";
    String bin = ProductBins.binOf(ROLE, gone);
    Snapshot before = latestSnapshot();
    publish(TargetChanges.remove(Set.of(gone)));
    Snapshot after = latestSnapshot();
    Map<String, MetaFile> changed = new TreeMap<>(after.meta());
    changed.entrySet().removeIf(e -> e.getValue().equals(before.meta().get(e.getKey())));
    assertThat(changed).containsOnlyKeys(bin + ".json");
    TufUpdater device = device(new RecordingRemote(tx, tuf.reader()));
    device.refresh();
    assertThat(device.targetInfo(gone)).isEmpty();
    assertThat(device.targetInfo(ROLE + "/1.0.0/artifact-6.bin")).isPresent();
    assertThat(
            tx.<Optional<TargetFile>>read(
                r ->
                    tuf.reader()
                        .currentTarget(r, ROLE, "1.0.0", file(gone).sha256(), "artifact-5.bin")))
        .isEmpty();
    String kept = ROLE + "/1.0.0/artifact-6.bin";
    assertThat(
            tx.<Optional<TargetFile>>read(
                r ->
                    tuf.reader()
                        .currentTarget(r, ROLE, "1.0.0", file(kept).sha256(), "artifact-6.bin")))
        .contains(file(kept));
  }

  @Test
  void aPathOfAnotherProductIsRefused() {
    Map<String, TargetFile> foreign = Map.of("acme-watch/1.0.0/x.bin", file("x"));
    assertThatThrownBy(() -> publish(TargetChanges.put(foreign)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(tx.<OptionalLong>read(r -> r.tuf().latestVersion(ROLE))).isEmpty();
  }

  // --- a repository written before bins ---

  @Test
  void aFlatRoleWrittenBeforeBinsMovesIntoBinsAndDevicesKeepVerifying() {
    String old = ROLE + "/1.0.0/artifact-2.bin";
    writeFlatRoleAsBeforeBins(targets("1.0.0", 30));
    RecordingRemote remote = new RecordingRemote(tx, tuf.reader());
    TufUpdater device = device(remote);
    device.refresh();
    assertThat(device.targetInfo(old).orElseThrow().role()).isEqualTo(ROLE);

    // The periodic refresh moves the targets into bins, as a new version of the product's role.
    assertThat(tx.<Boolean>write(r -> tuf.expiry().refreshExpiring(r))).isTrue();
    Targets moved = metadata("2." + ROLE + ".json", Targets.class);
    assertThat(moved.targets()).isEmpty();
    assertThat(moved.delegations().orElseThrow().roles()).isNotEmpty();
    assertThat(tx.<Boolean>write(r -> tuf.expiry().refreshExpiring(r))).as("moved once").isFalse();

    // The device that holds version 1 of the flat role follows to the bins.
    device.refresh();
    assertThat(device.targetInfo(old).orElseThrow().role()).isEqualTo(ProductBins.binOf(ROLE, old));
    publish(TargetChanges.put(Map.of(ROLE + "/1.1.0/new.bin", file("new"))));
    device.refresh();
    assertThat(device.targetInfo(ROLE + "/1.1.0/new.bin")).isPresent();
    assertThat(device.targetInfo(old)).isPresent();
    assertThat(
            tx.<Optional<TargetFile>>read(
                r ->
                    tuf.reader()
                        .currentTarget(r, ROLE, "1.0.0", file(old).sha256(), "artifact-2.bin")))
        .isPresent();
  }

  @Test
  void aFlatRoleWrittenBeforeBinsMovesIntoBinsOnTheNextPublication() {
    writeFlatRoleAsBeforeBins(targets("1.0.0", 30));
    TufUpdater device = device(new RecordingRemote(tx, tuf.reader()));
    device.refresh();
    publish(TargetChanges.put(Map.of(ROLE + "/1.1.0/new.bin", file("new"))));
    device.refresh();
    assertThat(device.targetInfo(ROLE + "/1.1.0/new.bin").orElseThrow().topRole()).isEqualTo(ROLE);
    assertThat(device.targetInfo(ROLE + "/1.0.0/artifact-9.bin")).isPresent();
    assertThat(metadata("2." + ROLE + ".json", Targets.class).targets()).isEmpty();
  }

  // --- product roles signed offline ---

  @Test
  void aProductSignedOfflineKeepsAFlatRoleThatItsKeySigns() {
    publish(TargetChanges.put(targets("1.0.0", 20)));
    SigningKey holder = TestKeys.ed25519();
    Optional<PendingMetadata> pending =
        tx.write(r -> tuf.offline().setOfflineKey(r, PRODUCT, holder.verificationKey()));
    assertThat(pending).isPresent();
    // The pending metadata lists every target itself: the offline key signs each of them.
    assertThat(pending.get().metadata().signed().targets()).hasSize(20);
    assertThat(pending.get().metadata().signed().delegations()).isEmpty();

    ProductUpdate update = publish(TargetChanges.put(Map.of(ROLE + "/2.0.0/x.bin", file("x"))));
    assertThat(update).isInstanceOf(ProductUpdate.Awaiting.class);
    PendingMetadata next = ((ProductUpdate.Awaiting) update).pending();
    assertThat(next.metadata().signed().targets()).hasSize(21);
    Signature signature = signature(holder, next);
    long version =
        tx.write(r -> tuf.offline().completePending(r, PRODUCT, signature, next.sha256()));
    assertThat(version).isEqualTo(2);

    TufUpdater device = device(new RecordingRemote(tx, tuf.reader()));
    device.refresh();
    TargetInfo info = device.targetInfo(ROLE + "/2.0.0/x.bin").orElseThrow();
    assertThat(info.role()).isEqualTo(ROLE);
    assertThat(device.targetInfo(ROLE + "/1.0.0/artifact-0.bin").orElseThrow().role())
        .isEqualTo(ROLE);

    // Back online: the targets return to bins signed by the server's key for the product.
    assertThat(tx.<Boolean>write(r -> tuf.offline().setOnline(r, PRODUCT))).isFalse();
    device.refresh();
    assertThat(device.targetInfo(ROLE + "/2.0.0/x.bin").orElseThrow().role())
        .isEqualTo(ProductBins.binOf(ROLE, ROLE + "/2.0.0/x.bin"));
  }

  // --- expiry ---

  @Test
  void binsAreReSignedBeforeTheyExpire() {
    publish(TargetChanges.put(targets("1.0.0", 20)));
    String path = ROLE + "/1.0.0/artifact-4.bin";
    String bin = ProductBins.binOf(ROLE, path);
    assertThat(tx.<Boolean>write(r -> tuf.expiry().refreshExpiring(r))).isFalse();
    clock.advance(Duration.ofDays(46));
    assertThat(tx.<Boolean>write(r -> tuf.expiry().refreshExpiring(r))).isTrue();
    assertThat(latest(bin)).isEqualTo(2);
    assertThat(latest(ROLE)).isEqualTo(2);
    clock.advance(Duration.ofDays(50));
    TufUpdater device = device(new RecordingRemote(tx, tuf.reader()));
    tx.write(r -> tuf.expiry().refreshExpiring(r));
    device.refresh();
    assertThat(device.targetInfo(path)).isPresent();
  }

  // --- what is served ---

  @Test
  void onlyMetadataFileNamesAreServed() {
    publish(TargetChanges.put(targets("1.0.0", 5)));
    String bin = ProductBins.binOf(ROLE, ROLE + "/1.0.0/artifact-0.bin");
    assertThat(tx.<Optional<byte[]>>read(r -> tuf.reader().metadataFile(r, "1." + bin + ".json")))
        .isPresent();
    assertThat(tx.<Optional<byte[]>>read(r -> tuf.reader().metadataFile(r, "timestamp.json")))
        .isPresent();
    for (String name :
        List.of("1.timestamp.json", "../1.root.json", "1.acme-phone.bin-zz.json", "x.root.json")) {
      assertThat(tx.<Optional<byte[]>>read(r -> tuf.reader().metadataFile(r, name)))
          .as(name)
          .isEmpty();
    }
  }

  // --- fixtures ---

  private ProductUpdate publish(TargetChanges changes) {
    return tx.write(r -> tuf.targets().update(r, PRODUCT, changes));
  }

  private Metadata<Root> signedRoot(long version) {
    RepositoryBuilder builder = new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
    Root root =
        builder.root(
            version,
            RoleKeySet.of(1, List.of(rootKey)),
            RoleKeySet.of(1, List.of(keys.role(RoleType.TARGETS))),
            RoleKeySet.of(1, List.of(keys.role(RoleType.SNAPSHOT))),
            RoleKeySet.of(1, List.of(keys.role(RoleType.TIMESTAMP))));
    return RepositoryBuilder.signRoot(root, List.of(rootKey));
  }

  private TufUpdater device(RecordingRemote remote) {
    return new TufUpdater(clock, remote, new InMemoryTrustedStore(), root1);
  }

  private <T extends Signed> T metadata(String fileName, Class<T> type) {
    byte[] bytes = tx.read(r -> tuf.reader().metadataFile(r, fileName)).orElseThrow();
    return Metadata.parse(bytes, type).signed();
  }

  private long latest(String role) {
    return tx.read(r -> r.tuf().latestVersion(role)).orElseThrow();
  }

  private Snapshot latestSnapshot() {
    return metadata(latest("snapshot") + ".snapshot.json", Snapshot.class);
  }

  private static Map<String, TargetFile> targets(String version, int count) {
    Map<String, TargetFile> files = new TreeMap<>();
    IntStream.range(0, count)
        .forEach(
            i -> {
              String path = ROLE + "/" + version + "/artifact-" + i + ".bin";
              files.put(path, file(path));
            });
    return files;
  }

  private static TargetFile file(String seed) {
    byte[] content = seed.getBytes(StandardCharsets.UTF_8);
    return new TargetFile(content.length, Sha256.of(content), Optional.empty());
  }

  /** A new target path that hashes into the same bin as {@code path}. */
  private static String sameBinAs(String path) {
    String bin = ProductBins.binOf(ROLE, path);
    return IntStream.range(0, 100_000)
        .mapToObj(i -> ROLE + "/9.0." + i + "/extra.bin")
        .filter(p -> ProductBins.binOf(ROLE, p).equals(bin))
        .findFirst()
        .orElseThrow();
  }

  private static Signature signature(SigningKey key, PendingMetadata pending) {
    return Metadata.sign(pending.metadata().signed(), key).signatures().getFirst();
  }

  /**
   * What Sluice wrote before bins, for a product signed online: the product's role listing its
   * targets itself, version 1, signed by the product's key; top-level targets delegating the
   * product's paths to that key; snapshot (with hashes) and timestamp above them.
   */
  private void writeFlatRoleAsBeforeBins(Map<String, TargetFile> files) {
    RepositoryBuilder builder = new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
    Root root = Metadata.parse(root1, Root.class).signed();
    SigningKey productKey = keys.product(PRODUCT);
    Targets top =
        builder.targets(
            2,
            Map.of(),
            List.of(
                new Delegation(
                    ROLE,
                    RoleKeySet.of(1, List.of(productKey)),
                    TargetPaths.patterns(ROLE + "/*/*"),
                    true)));
    Metadata<Targets> topMd =
        RepositoryBuilder.sign(top, "targets", root, List.of(keys.role(RoleType.TARGETS)));
    Metadata<Targets> productMd =
        RepositoryBuilder.sign(
            builder.targets(1, files, List.of()), ROLE, top, List.of(productKey));
    Metadata<Snapshot> snapshot =
        RepositoryBuilder.sign(
            builder.snapshot(2, topMd, Map.of(ROLE, productMd)),
            "snapshot",
            root,
            List.of(keys.role(RoleType.SNAPSHOT)));
    Metadata<Timestamp> timestamp =
        RepositoryBuilder.sign(
            builder.timestamp(2, snapshot),
            "timestamp",
            root,
            List.of(keys.role(RoleType.TIMESTAMP)));
    Instant now = clock.instant();
    tx.write(
        r -> {
          r.tuf().insert("targets", 2, topMd.toBytes(), now);
          r.tuf().insert(ROLE, 1, productMd.toBytes(), now);
          r.tuf().insert("snapshot", 2, snapshot.toBytes(), now);
          r.tuf().insert("timestamp", 2, timestamp.toBytes(), now);
          return null;
        });
  }
}
