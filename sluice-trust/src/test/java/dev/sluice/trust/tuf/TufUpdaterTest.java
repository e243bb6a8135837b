package dev.sluice.trust.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import dev.sluice.trust.tuf.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The TUF 1.0 client workflow (§5), one test per attack it must stop. */
class TufUpdaterTest {
  private static final byte[] IMAGE = "product-a OS image 1.2.3".getBytes(StandardCharsets.UTF_8);

  private final TestRepository repo = new TestRepository();
  private final InMemoryTrustedStore store = new InMemoryTrustedStore();
  private final TufUpdater client = repo.client(store);

  private static long storedVersion(TrustedStore store, String role) {
    byte[] bytes = store.load(role).orElseThrow();
    return switch (role) {
      case "root" -> Metadata.parse(bytes, Root.class).signed().version();
      case "timestamp" -> Metadata.parse(bytes, Timestamp.class).signed().version();
      case "snapshot" -> Metadata.parse(bytes, Snapshot.class).signed().version();
      default -> Metadata.parse(bytes, Targets.class).signed().version();
    };
  }

  @Test
  void refreshResolvesATargetThroughADelegatedRoleAndDownloadsIt() {
    repo.addTarget("product-a", "product-a/os-1.2.3.img", IMAGE);

    client.refresh();
    TargetInfo info = client.targetInfo("product-a/os-1.2.3.img").orElseThrow();

    assertThat(info.role()).isEqualTo("product-a");
    assertThat(info.file().length()).isEqualTo(IMAGE.length);
    assertThat(client.download(info)).isEqualTo(IMAGE);
    assertThat(client.targetInfo("product-a/missing.img")).isEmpty();
    assertThat(storedVersion(store, "timestamp")).isEqualTo(repo.timestamp.signed().version());
    assertThat(storedVersion(store, "product-a")).isEqualTo(2);
    // Nothing new: an equal timestamp version is normal, and the trusted metadata is kept.
    client.refresh();
    assertThat(client.targetInfo("product-a/os-1.2.3.img")).contains(info);
  }

  @Test
  void newTargetIsSeenAfterTheNextRefresh() {
    client.refresh();
    repo.addTarget("targets", "tools/flash.sh", IMAGE);

    assertThat(client.targetInfo("tools/flash.sh")).isEmpty();
    client.refresh();
    assertThat(client.targetInfo("tools/flash.sh")).map(TargetInfo::role).contains("targets");
  }

  @Test
  void tamperedTargetContentIsRefused() {
    var file = repo.addTarget("product-a", "product-a/os.img", IMAGE);
    byte[] evil = IMAGE.clone();
    evil[0] ^= 1;
    repo.serveTarget("product-a/os.img", file, evil);
    client.refresh();
    TargetInfo info = client.targetInfo("product-a/os.img").orElseThrow();

    assertThatThrownBy(() -> client.download(info))
        .isInstanceOfSatisfying(
            LengthOrHashMismatchException.class,
            e -> assertThat(e.expected()).startsWith("sha256 " + file.sha256().hex()));
  }

  @Test
  void targetOfTheWrongLengthIsRefused() {
    var file = repo.addTarget("product-a", "product-a/os.img", IMAGE);
    byte[] longer = new byte[IMAGE.length + 1024];
    repo.serveTarget("product-a/os.img", file, longer);
    client.refresh();
    TargetInfo info = client.targetInfo("product-a/os.img").orElseThrow();

    assertThatThrownBy(() -> client.download(info))
        .isInstanceOfSatisfying(
            LengthOrHashMismatchException.class,
            e -> assertThat(e.found()).isEqualTo("more than " + IMAGE.length + " bytes"));
    repo.serveTarget("product-a/os.img", file, java.util.Arrays.copyOf(IMAGE, IMAGE.length - 1));
    assertThatThrownBy(() -> client.download(info))
        .isInstanceOfSatisfying(
            LengthOrHashMismatchException.class,
            e -> assertThat(e.found()).isEqualTo("length " + (IMAGE.length - 1)));
  }

  @Test
  void streamedDownloadWritesTheTargetAndThrowsIfItWasTampered() {
    var file = repo.addTarget("product-a", "product-a/os.img", IMAGE);
    client.refresh();
    TargetInfo info = client.targetInfo("product-a/os.img").orElseThrow();
    var slot = new java.io.ByteArrayOutputStream();

    client.download(info, slot);
    assertThat(slot.toByteArray()).isEqualTo(IMAGE);

    byte[] evil = IMAGE.clone();
    evil[evil.length - 1] ^= 1;
    repo.serveTarget("product-a/os.img", file, evil);
    var tampered = new java.io.ByteArrayOutputStream();
    assertThatThrownBy(() -> client.download(info, tampered))
        .isInstanceOf(LengthOrHashMismatchException.class);
  }

  @Test
  void expiredTimestampIsRefused() {
    client.refresh();
    repo.clock.advance(Duration.ofDays(1));

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class,
            e -> {
              assertThat(e.role()).isEqualTo("timestamp");
              assertThat(e.expires()).isEqualTo(e.now());
            });
  }

  @Test
  void expiredSnapshotIsRefused() {
    repo.clock.advance(Duration.ofDays(8));
    repo.publishTimestamp();

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class, e -> assertThat(e.role()).isEqualTo("snapshot"));
  }

  @Test
  void expiredTargetsAreRefused() {
    repo.clock.advance(Duration.ofDays(91));
    repo.publishSnapshot();
    repo.publishTimestamp();

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class, e -> assertThat(e.role()).isEqualTo("targets"));
  }

  @Test
  void expiredDelegatedRoleIsRefused() {
    repo.clock.advance(Duration.ofDays(91));
    repo.publishTargets();
    repo.publishSnapshot();
    repo.publishTimestamp();
    client.refresh();

    assertThatThrownBy(() -> client.targetInfo("product-a/os.img"))
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class, e -> assertThat(e.role()).isEqualTo("product-a"));
  }

  @Test
  void expiredRootIsRefused() {
    repo.clock.advance(Duration.ofDays(366));
    repo.publishTargets();
    repo.productKeys.keySet().forEach(repo::publishDelegated);
    repo.publishSnapshot();
    repo.publishTimestamp();

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class, e -> assertThat(e.role()).isEqualTo("root"));
  }

  @Test
  void rolledBackTimestampIsRefusedEvenAfterARestart() {
    byte[] oldTimestamp = repo.timestamp.toBytes();
    repo.publishTimestamp();
    client.refresh();
    repo.serve(TufLayout.TIMESTAMP_JSON, oldTimestamp);

    TufUpdater restarted = repo.client(store);
    assertThatThrownBy(restarted::refresh)
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> {
              assertThat(e.role()).isEqualTo("timestamp");
              assertThat(e.trustedVersion()).isEqualTo(2);
              assertThat(e.newVersion()).isEqualTo(1);
            });
    assertThat(storedVersion(store, "timestamp")).isEqualTo(2);
  }

  @Test
  void timestampListingAnOlderSnapshotIsRefused() {
    Metadata<Snapshot> oldSnapshot = repo.snapshot;
    repo.publishSnapshot();
    repo.publishTimestamp();
    client.refresh();
    // An attacker holding the online timestamp key points clients back at snapshot 1.
    repo.publishTimestamp(
        repo.builder.timestamp(repo.timestamp.signed().version() + 1, oldSnapshot));

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> {
              assertThat(e.role()).isEqualTo("snapshot");
              assertThat(e.trustedVersion()).isEqualTo(2);
              assertThat(e.newVersion()).isEqualTo(1);
            });
  }

  @Test
  void snapshotListingAnOlderTargetsVersionIsRefused() {
    Metadata<Targets> oldTargets = repo.targets;
    repo.publishTargets();
    repo.publishSnapshot();
    repo.publishTimestamp();
    client.refresh();
    // An attacker holding the online snapshot and timestamp keys re-lists targets 1.
    Snapshot rolledBack =
        repo.builder.snapshot(repo.snapshot.signed().version() + 1, oldTargets, repo.delegated);
    repo.snapshot =
        RepositoryBuilder.sign(rolledBack, "snapshot", repo.root.signed(), repo.snapshotKeys);
    repo.serveMetadata("snapshot", repo.snapshot);
    repo.publishTimestamp();

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> {
              assertThat(e.role()).isEqualTo("targets");
              assertThat(e.trustedVersion()).isEqualTo(2);
              assertThat(e.newVersion()).isEqualTo(1);
            });
  }

  @Test
  void snapshotOtherThanTheOneTheTimestampListsIsRefused() {
    byte[] snapshot1 = repo.snapshot.toBytes();
    repo.publishSnapshot();
    // Mix and match: 2.snapshot.json is replaced by snapshot 1 under a timestamp listing only a
    // version, and then under one listing the hash too.
    repo.serve("2.snapshot.json", snapshot1);
    repo.publishTimestamp(
        new Timestamp(
            dev.sluice.trust.tuf.model.Signed.SPEC_VERSION,
            repo.timestamp.signed().version() + 1,
            repo.builder.expires(dev.sluice.trust.tuf.model.RoleType.TIMESTAMP),
            MetaFile.ofVersion(2)));

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            BadVersionException.class,
            e -> {
              assertThat(e.role()).isEqualTo("snapshot");
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(1);
            });

    repo.publishTimestamp();
    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            LengthOrHashMismatchException.class,
            e -> assertThat(e.what()).isEqualTo("2.snapshot.json"));
  }

  @Test
  void targetsOtherThanTheOneTheSnapshotListsAreRefused() {
    byte[] targets1 = repo.targets.toBytes();
    repo.publishTargets();
    repo.serve("2.targets.json", targets1);
    Snapshot versionsOnly =
        new Snapshot(
            dev.sluice.trust.tuf.model.Signed.SPEC_VERSION,
            repo.snapshot.signed().version() + 1,
            repo.builder.expires(dev.sluice.trust.tuf.model.RoleType.SNAPSHOT),
            Map.of(Snapshot.TARGETS_JSON, MetaFile.ofVersion(2)));
    repo.snapshot =
        RepositoryBuilder.sign(versionsOnly, "snapshot", repo.root.signed(), repo.snapshotKeys);
    repo.serveMetadata("snapshot", repo.snapshot);
    repo.publishTimestamp();

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            BadVersionException.class,
            e -> {
              assertThat(e.role()).isEqualTo("targets");
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(1);
            });
  }

  @Test
  void metadataSignedByTooFewKeysIsRefused() {
    // Root is 2-of-3: one root key alone cannot publish root 2.
    Root next = repo.nextRoot(2);
    repo.serve("2.root.json", Metadata.sign(next, repo.rootKeys.get(0)).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            SignatureThresholdException.class,
            e -> {
              assertThat(e.role()).isEqualTo("root");
              assertThat(e.required()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(1);
            });
    assertThat(store.load("root")).as("root 2 is not trusted").isEmpty();
  }

  @Test
  void signaturesByKeysNotDelegatedForTheRoleAreIgnored() {
    Timestamp next = repo.builder.timestamp(2, repo.snapshot);
    // Known to root, but for snapshot; and unknown altogether.
    repo.serve(
        TufLayout.TIMESTAMP_JSON,
        Metadata.sign(next, repo.snapshotKeys.get(0), TestKeys.ed25519()).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            SignatureThresholdException.class,
            e -> {
              assertThat(e.role()).isEqualTo("timestamp");
              assertThat(e.found()).isZero();
            });

    // The same extra signatures next to a valid one do no harm.
    repo.serve(
        TufLayout.TIMESTAMP_JSON,
        Metadata.sign(next, TestKeys.ed25519(), repo.snapshotKeys.get(0), repo.timestampKeys.get(0))
            .toBytes());
    client.refresh();
    assertThat(storedVersion(store, "timestamp")).isEqualTo(2);
  }

  @Test
  void duplicateSignaturesByOneKeyCountOnce() {
    SigningKey rootKey = repo.rootKeys.get(0);
    List<SigningKey> newKeys = TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3);
    repo.rootKeys = newKeys;
    Root next = repo.nextRoot(2);
    repo.serve(
        "2.root.json",
        Metadata.sign(next, rootKey, rootKey, newKeys.get(0), newKeys.get(1)).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            SignatureThresholdException.class,
            e -> {
              assertThat(e.required()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(1);
            });
  }

  @Test
  void rootRotationIsFollowedAcrossTwoVersions() {
    repo.addTarget("product-b", "product-b/fw.bin", IMAGE);
    repo.rotateRoot(TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3));
    repo.rotateRoot(TestKeys.generate(dev.sluice.trust.key.KeyScheme.ECDSA_P256, 3));

    client.refresh();

    assertThat(client.trustedRoot().version()).isEqualTo(3);
    assertThat(client.trustedRoot().keys()).containsKeys(repo.rootKeys.get(0).keyId());
    assertThat(storedVersion(store, "root")).isEqualTo(3);
    assertThat(client.targetInfo("product-b/fw.bin")).isPresent();
  }

  @Test
  void rootRotationSignedOnlyByTheNewKeysIsRefused() {
    repo.rootKeys = TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3);
    Root next = repo.nextRoot(2);
    repo.serve(
        "2.root.json", RepositoryBuilder.signRoot(next, repo.rootKeys.subList(0, 2)).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            SignatureThresholdException.class, e -> assertThat(e.found()).isZero());
    assertThat(store.load("root")).as("root 2 is not trusted").isEmpty();
  }

  @Test
  void rootRotationSignedOnlyByTheOldKeysIsRefused() {
    List<SigningKey> oldKeys = repo.rootKeys;
    repo.rootKeys = TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3);
    Root next = repo.nextRoot(2);
    repo.serve("2.root.json", Metadata.sign(next, oldKeys.subList(0, 2)).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            SignatureThresholdException.class,
            e -> {
              assertThat(e.role()).isEqualTo("root");
              assertThat(e.found()).isZero();
            });
  }

  @Test
  void rootFileHoldingAnotherVersionIsRefused() {
    Root skipping = repo.nextRoot(3);
    repo.serve(
        "2.root.json",
        Metadata.sign(skipping, repo.rootKeys.get(0), repo.rootKeys.get(1)).toBytes());

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            BadVersionException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(3);
            });
  }

  @Test
  void timestampKeyRotationForgetsTheFastForwardedTimestamp() {
    // A stolen timestamp key fast-forwarded clients to timestamp 1000.
    repo.publishTimestamp(repo.builder.timestamp(1000, repo.snapshot));
    client.refresh();
    assertThat(storedVersion(store, "timestamp")).isEqualTo(1000);
    // The repository recovers: a new timestamp key in root 2, timestamp numbering restarts.
    repo.timestampKeys = List.of(TestKeys.ed25519());
    repo.rotateRoot(repo.rootKeys);
    repo.publishTimestamp(repo.builder.timestamp(1, repo.snapshot));

    client.refresh();

    assertThat(storedVersion(store, "timestamp")).isEqualTo(1);
    assertThat(storedVersion(store, "root")).isEqualTo(2);
  }

  @Test
  void clientRecoversFromAnExpiredRootOnceTheRepositoryPublishesANewOne() {
    repo.publishTimestamp(repo.builder.timestamp(1000, repo.snapshot));
    client.refresh();
    repo.timestampKeys = List.of(TestKeys.ed25519());
    repo.rotateRoot(repo.rootKeys);
    repo.clock.advance(Duration.ofDays(366));

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            ExpiredMetadataException.class, e -> assertThat(e.role()).isEqualTo("root"));
    assertThat(storedVersion(store, "root")).isEqualTo(2);
    assertThat(store.load("timestamp")).isEmpty();

    repo.rotateRoot(repo.rootKeys);
    repo.publishTargets();
    repo.productKeys.keySet().forEach(repo::publishDelegated);
    repo.publishSnapshot();
    repo.publishTimestamp(repo.builder.timestamp(1, repo.snapshot));
    client.refresh();

    assertThat(client.trustedRoot().version()).isEqualTo(3);
    assertThat(storedVersion(store, "timestamp")).isEqualTo(1);
  }

  @Test
  void rolledBackTimestampWithUnchangedKeysIsStillRefusedAfterARootUpdate() {
    repo.publishTimestamp(repo.builder.timestamp(1000, repo.snapshot));
    client.refresh();
    repo.rotateRoot(repo.rootKeys);
    repo.publishTimestamp(repo.builder.timestamp(1, repo.snapshot));

    assertThatThrownBy(client::refresh).isInstanceOf(RollbackException.class);
  }

  @Test
  void productKeyCannotSignTargetsOutsideItsPaths() {
    repo.addTarget("product-a", "product-a/os.img", IMAGE);
    repo.addTarget("product-a", "product-b/os.img", IMAGE);
    repo.addTarget("product-a", "tools/flash.sh", IMAGE);
    client.refresh();

    assertThat(client.targetInfo("product-a/os.img")).map(TargetInfo::role).contains("product-a");
    assertThat(client.targetInfo("product-b/os.img")).isEmpty();
    assertThat(client.targetInfo("tools/flash.sh")).isEmpty();
  }

  @Test
  void terminatingDelegationHidesLaterRolesForItsPaths() {
    repo.addTarget("product-b", "shared/fw.bin", IMAGE);
    repo.delegations = List.of(shared("product-a", true), shared("product-b", false));
    republishTargetsAndDelegations();
    client.refresh();

    assertThat(client.targetInfo("shared/fw.bin")).isEmpty();

    repo.delegations = List.of(shared("product-a", false), shared("product-b", false));
    republishTargetsAndDelegations();
    client.refresh();
    assertThat(client.targetInfo("shared/fw.bin")).map(TargetInfo::role).contains("product-b");
  }

  @Test
  void earlierDelegationWinsForTheSamePath() {
    byte[] other = "b's claim".getBytes(StandardCharsets.UTF_8);
    repo.addTarget("product-a", "shared/fw.bin", IMAGE);
    repo.addTarget("product-b", "shared/fw.bin", other);
    repo.delegations = List.of(shared("product-b", false), shared("product-a", false));
    republishTargetsAndDelegations();
    client.refresh();

    TargetInfo info = client.targetInfo("shared/fw.bin").orElseThrow();
    assertThat(info.role()).isEqualTo("product-b");
    assertThat(client.download(info)).isEqualTo(other);
  }

  @Test
  void delegationCycleEndsTheSearch() {
    // product-a delegates to product-b, which delegates back to product-a.
    RepositoryBuilder.RoleKeySet aKeys =
        RepositoryBuilder.RoleKeySet.of(1, repo.productKeys.get("product-a"));
    RepositoryBuilder.RoleKeySet bKeys =
        RepositoryBuilder.RoleKeySet.of(1, repo.productKeys.get("product-b"));
    var toB =
        new RepositoryBuilder.Delegation("product-b", bKeys, TargetPaths.patterns("*/*"), false);
    var toA =
        new RepositoryBuilder.Delegation("product-a", aKeys, TargetPaths.patterns("*/*"), false);
    repo.delegations = List.of(toA);
    repo.publishTargets();
    publishDelegating("product-a", toB);
    publishDelegating("product-b", toA);
    repo.publishSnapshot();
    repo.publishTimestamp();
    client.refresh();

    assertThat(client.targetInfo("shared/fw.bin")).isEmpty();
  }

  @Test
  void aTargetInAHashedBinIsFoundAndListedThroughItsProductRole() {
    String path = "product-a/os.img";
    String stray = "product-a/other.img";
    String prefix = Sha256.of(path.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 2);
    assertThat(Sha256.of(stray.getBytes(StandardCharsets.UTF_8)).hex()).doesNotStartWith(prefix);
    var toBin =
        new RepositoryBuilder.Delegation(
            "product-a.bin",
            RepositoryBuilder.RoleKeySet.of(1, repo.productKeys.get("product-a")),
            new TargetPaths.HashPrefixes(List.of(prefix)),
            true);
    publishDelegating("product-a", toBin);
    TargetFile file = TargetFile.of(IMAGE);
    // The bin also lists a path outside its prefix: a client must not trust it for that path.
    Targets bin =
        repo.builder.targets(1, Map.of(path, file, stray, TargetFile.of(IMAGE)), List.of());
    Metadata<Targets> binMd =
        RepositoryBuilder.sign(
            bin,
            "product-a.bin",
            repo.delegated.get("product-a").signed(),
            repo.productKeys.get("product-a"));
    repo.delegated.put("product-a.bin", binMd);
    repo.serveMetadata("product-a.bin", binMd);
    repo.serveTarget(path, file, IMAGE);
    repo.publishSnapshot();
    repo.publishTimestamp();
    client.refresh();

    TargetInfo info = client.targetInfo(path).orElseThrow();
    assertThat(info.role()).isEqualTo("product-a.bin");
    assertThat(info.topRole()).isEqualTo("product-a");
    assertThat(client.download(info)).isEqualTo(IMAGE);
    assertThat(client.targetInfo(stray)).isEmpty();
    assertThat(client.listedTargets("product-a")).containsExactly(path);
  }

  private void publishDelegating(String role, RepositoryBuilder.Delegation delegation) {
    Metadata<Targets> parent =
        role.equals("product-a") ? repo.targets : repo.delegated.get("product-a");
    Targets signed =
        repo.builder.targets(
            repo.delegated.get(role).signed().version() + 1, Map.of(), List.of(delegation));
    Metadata<Targets> md =
        RepositoryBuilder.sign(signed, role, parent.signed(), repo.productKeys.get(role));
    repo.delegated.put(role, md);
    repo.serveMetadata(role, md);
  }

  private RepositoryBuilder.Delegation shared(String role, boolean terminating) {
    return new RepositoryBuilder.Delegation(
        role,
        RepositoryBuilder.RoleKeySet.of(1, repo.productKeys.get(role)),
        TargetPaths.patterns("shared/*"),
        terminating);
  }

  private void republishTargetsAndDelegations() {
    repo.publishTargets();
    repo.publishSnapshot();
    repo.publishTimestamp();
  }

  @Test
  void oversizedTimestampIsRefused() {
    repo.serve(TufLayout.TIMESTAMP_JSON, new byte[17 << 10]);

    assertThatThrownBy(client::refresh)
        .isInstanceOfSatisfying(
            MetadataTooLargeException.class,
            e -> assertThat(e.fileName()).isEqualTo("timestamp.json"));
  }

  @Test
  void missingTimestampIsReported() {
    TufUpdater empty =
        new TufUpdater(
            repo.clock,
            new RemoteRepository() {
              @Override
              public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
                return Optional.empty();
              }

              @Override
              public byte[] fetchTarget(String fileName, long length) {
                throw new IllegalStateException("404");
              }
            },
            store,
            repo.bootstrapRoot());

    assertThatThrownBy(empty::refresh).isInstanceOf(MetadataNotFoundException.class);
    assertThatThrownBy(() -> empty.targetInfo("x")).isInstanceOf(IllegalStateException.class);
  }
}
