package dev.sluice.trust.tuf.testing;

import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.RemoteRepository;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.TrustedStore;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A complete TUF repository in memory, built with {@link RepositoryBuilder} and served as a {@link
 * RemoteRepository}: root 2-of-3, one key each for targets, snapshot and timestamp, and delegated
 * roles ({@code product-a} for {@code product-a/*}, {@code product-b} for {@code product-b/*}, both
 * terminating). Tests play the attacker by replacing served files ({@link #serve}) or by signing
 * with the repository's own keys ({@link #targetsKeys} and friends).
 */
public final class TestRepository implements RemoteRepository {
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  public final TestClock clock = new TestClock(START);
  public final RepositoryBuilder builder =
      new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
  public List<SigningKey> rootKeys = TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3);
  public List<SigningKey> targetsKeys = List.of(TestKeys.ed25519());
  public List<SigningKey> snapshotKeys = List.of(TestKeys.ed25519());
  public List<SigningKey> timestampKeys = List.of(TestKeys.ed25519());
  public final Map<String, List<SigningKey>> productKeys = new LinkedHashMap<>();

  /** What top-level targets delegates, in priority order; tests may replace it and republish. */
  public List<Delegation> delegations;

  public Metadata<Root> root;
  public Metadata<Targets> targets;
  public final Map<String, Metadata<Targets>> delegated = new TreeMap<>();
  public Metadata<Snapshot> snapshot;
  public Metadata<Timestamp> timestamp;

  private final Map<String, TargetFile> topTargets = new TreeMap<>();
  private final Map<String, Map<String, TargetFile>> roleTargets = new TreeMap<>();
  private final Map<String, byte[]> metadataFiles = new HashMap<>();
  private final Map<String, byte[]> targetFiles = new HashMap<>();
  private final byte[] bootstrapRoot;

  public TestRepository() {
    productKeys.put("product-a", List.of(TestKeys.ed25519()));
    productKeys.put("product-b", List.of(TestKeys.ed25519()));
    delegations =
        productKeys.entrySet().stream()
            .map(
                e ->
                    new Delegation(
                        e.getKey(),
                        RoleKeySet.of(1, e.getValue()),
                        TargetPaths.patterns(e.getKey() + "/*"),
                        true))
            .toList();
    root = RepositoryBuilder.signRoot(nextRoot(1), rootKeys.subList(0, 2));
    serve(TufLayout.rootFile(1), root.toBytes());
    bootstrapRoot = root.toBytes();
    publishTargets();
    productKeys.keySet().forEach(this::publishDelegated);
    publishSnapshot();
    publishTimestamp();
  }

  /** The root a device ships with. */
  public byte[] bootstrapRoot() {
    return bootstrapRoot.clone();
  }

  public TufUpdater client(TrustedStore store) {
    return new TufUpdater(clock, this, store, bootstrapRoot);
  }

  /** Root version {@code version} for the current key fields. */
  public Root nextRoot(long version) {
    return builder.root(
        version,
        RoleKeySet.of(2, rootKeys),
        RoleKeySet.of(1, targetsKeys),
        RoleKeySet.of(1, snapshotKeys),
        RoleKeySet.of(1, timestampKeys));
  }

  /** Adds a target to a role ("targets" or a product role) and publishes a new consistent set. */
  public TargetFile addTarget(String role, String path, byte[] content) {
    TargetFile file = TargetFile.of(content);
    serveTarget(path, file, content);
    if (role.equals(RoleType.TARGETS.typeName())) {
      topTargets.put(path, file);
      publishTargets();
    } else {
      roleTargets.computeIfAbsent(role, r -> new TreeMap<>()).put(path, file);
      publishDelegated(role);
    }
    publishSnapshot();
    publishTimestamp();
    return file;
  }

  public void publishTargets() {
    long version = targets == null ? 1 : targets.signed().version() + 1;
    Targets signed = builder.targets(version, topTargets, delegations);
    targets = RepositoryBuilder.sign(signed, "targets", root.signed(), targetsKeys);
    serveMetadata("targets", targets);
  }

  public void publishDelegated(String role) {
    Metadata<Targets> previous = delegated.get(role);
    long version = previous == null ? 1 : previous.signed().version() + 1;
    Targets signed = builder.targets(version, roleTargets.getOrDefault(role, Map.of()), List.of());
    Metadata<Targets> md =
        RepositoryBuilder.sign(signed, role, targets.signed(), productKeys.get(role));
    delegated.put(role, md);
    serveMetadata(role, md);
  }

  public void publishSnapshot() {
    long version = snapshot == null ? 1 : snapshot.signed().version() + 1;
    Snapshot signed = builder.snapshot(version, targets, delegated);
    snapshot = RepositoryBuilder.sign(signed, "snapshot", root.signed(), snapshotKeys);
    serveMetadata("snapshot", snapshot);
  }

  public void publishTimestamp() {
    long version = timestamp == null ? 1 : timestamp.signed().version() + 1;
    publishTimestamp(builder.timestamp(version, snapshot));
  }

  public void publishTimestamp(Timestamp signed) {
    timestamp = RepositoryBuilder.sign(signed, "timestamp", root.signed(), timestampKeys);
    serve(TufLayout.TIMESTAMP_JSON, timestamp.toBytes());
  }

  /** Publishes a new root version signed by the old root keys and the new ones. */
  public void rotateRoot(List<SigningKey> newRootKeys) {
    Root trusted = root.signed();
    List<SigningKey> oldKeys = rootKeys;
    rootKeys = newRootKeys;
    root =
        RepositoryBuilder.rotateRoot(
            trusted,
            nextRoot(trusted.version() + 1),
            oldKeys.subList(0, 2),
            newRootKeys.subList(0, 2));
    serve(TufLayout.rootFile(root.signed().version()), root.toBytes());
  }

  public void serveMetadata(String role, Metadata<?> metadata) {
    serve(TufLayout.metadataFile(role, metadata.signed().version(), true), metadata.toBytes());
  }

  /** Replaces (or adds) a served metadata file, as an attacker on the path would. */
  public void serve(String fileName, byte[] bytes) {
    metadataFiles.put(fileName, bytes.clone());
  }

  public void serveTarget(String path, TargetFile file, byte[] content) {
    targetFiles.put(TufLayout.targetFile(path, file.sha256(), true), content.clone());
  }

  @Override
  public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
    return Optional.ofNullable(metadataFiles.get(fileName)).map(byte[]::clone);
  }

  @Override
  public byte[] fetchTarget(String fileName, long length) {
    byte[] bytes = targetFiles.get(fileName);
    if (bytes == null) {
      throw new IllegalStateException("404 targets/" + fileName);
    }
    return bytes.clone();
  }
}
