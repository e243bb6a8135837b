package dev.sluice.trust.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RepositoryBuilderTest {
  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00.750Z"));
  private final RepositoryBuilder builder =
      new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
  private final List<SigningKey> rootKeys = TestKeys.generate(KeyScheme.ED25519, 3);
  private final SigningKey online = TestKeys.ed25519();

  private Root root(long version, List<SigningKey> keys) {
    RoleKeySet one = RoleKeySet.of(1, List.of(online));
    return builder.root(version, RoleKeySet.of(2, keys), one, one, one);
  }

  @Test
  void expiryIsWholeSecondsAfterTheClock() {
    assertThat(builder.expires(RoleType.TIMESTAMP))
        .isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
    assertThat(root(1, rootKeys).expires()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
    assertThat(root(1, rootKeys).consistentSnapshot()).isTrue();
  }

  @Test
  void signingWithTooFewKeysIsRefused() {
    Root root = root(1, rootKeys);

    assertThatThrownBy(() -> RepositoryBuilder.signRoot(root, rootKeys.subList(0, 1)))
        .isInstanceOf(SignatureThresholdException.class);
    // The same key twice is still one key.
    assertThatThrownBy(
            () -> RepositoryBuilder.signRoot(root, List.of(rootKeys.get(0), rootKeys.get(0))))
        .isInstanceOf(SignatureThresholdException.class);
  }

  @Test
  void rotationIsSignedByOldAndNewRootKeys() {
    Root first = root(1, rootKeys);
    List<SigningKey> newKeys = TestKeys.generate(KeyScheme.ED25519, 3);
    Root second = root(2, newKeys);

    Metadata<Root> rotated =
        RepositoryBuilder.rotateRoot(first, second, rootKeys.subList(1, 3), newKeys.subList(0, 2));

    assertThat(rotated.signatures()).hasSize(4);
    assertThatThrownBy(
            () -> RepositoryBuilder.rotateRoot(first, second, List.of(), newKeys.subList(0, 2)))
        .isInstanceOf(SignatureThresholdException.class);
    assertThatThrownBy(
            () ->
                RepositoryBuilder.rotateRoot(
                    first, root(3, newKeys), rootKeys.subList(0, 2), newKeys.subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void snapshotAndTimestampDescribeThePublishedBytes() {
    Root root = root(1, rootKeys);
    Metadata<Targets> targets =
        RepositoryBuilder.sign(
            builder.targets(3, Map.of(), List.of()), "targets", root, List.of(online));
    clock.advance(Duration.ofMinutes(5));

    Snapshot snapshot = builder.snapshot(7, targets, Map.of());
    Metadata<Snapshot> signedSnapshot =
        RepositoryBuilder.sign(snapshot, "snapshot", root, List.of(online));
    byte[] published = signedSnapshot.toBytes();

    assertThat(snapshot.targetsMeta())
        .isEqualTo(
            new MetaFile(
                3,
                OptionalLong.of(targets.toBytes().length),
                Optional.of(Sha256.of(targets.toBytes()))));
    assertThat(builder.timestamp(9, signedSnapshot).snapshotMeta())
        .isEqualTo(MetaFile.of(7, published));
  }

  @Test
  void roleKeySetsMustBeSatisfiable() {
    assertThatThrownBy(() -> RoleKeySet.of(2, List.of(online)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoleKeySet.of(1, List.of(online, online)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
