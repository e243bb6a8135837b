package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The TUF 1.0 detailed client workflow (§5): {@link #refresh()} updates root, timestamp, snapshot
 * and targets from a {@link RemoteRepository}, {@link #targetInfo} resolves a target through
 * delegations, and {@link #download} returns only bytes that match trusted metadata. Every failure
 * throws a {@link TufException} and leaves the {@link TrustedStore} holding only metadata that
 * passed every check, so the next refresh can recover (§5, introduction).
 *
 * <p>Repositories must use consistent snapshots for snapshot, targets and targets files when root
 * says so; root is always fetched as {@code N.root.json} and timestamp as {@code timestamp.json}.
 * Instances are safe to share; calls are serialized.
 */
public final class TufUpdater {
  private static final String ROOT = RoleType.ROOT.typeName();
  private static final String TIMESTAMP = RoleType.TIMESTAMP.typeName();
  private static final String SNAPSHOT = RoleType.SNAPSHOT.typeName();
  private static final String TARGETS = RoleType.TARGETS.typeName();

  /**
   * Download limits for metadata of unknown length (the spec's W, X, Y, Z) and search bounds.
   *
   * @param maxRootUpdates how many root versions one refresh may walk (§5.3.3)
   * @param maxDelegations how many targets roles one target search may visit (§5.6.7.1)
   */
  public record Limits(
      long rootMaxBytes,
      long timestampMaxBytes,
      long snapshotMaxBytes,
      long targetsMaxBytes,
      int maxRootUpdates,
      int maxDelegations) {
    public Limits {
      if (rootMaxBytes < 1
          || timestampMaxBytes < 1
          || snapshotMaxBytes < 1
          || targetsMaxBytes < 1
          || maxRootUpdates < 1
          || maxDelegations < 1) {
        throw new IllegalArgumentException("every limit must be positive");
      }
    }

    /** 512 KiB root, 16 KiB timestamp, 2 MiB snapshot, 8 MiB targets, 1024 roots, 32 roles. */
    public static Limits defaults() {
      return new Limits(512 << 10, 16 << 10, 2 << 20, 8 << 20, 1024, 32);
    }
  }

  /** Metadata that passed every check, with the exact bytes it was read from. */
  private record Verified<T extends Signed>(Metadata<T> metadata, byte[] bytes) {
    T signed() {
      return metadata.signed();
    }
  }

  /** The state one refresh established; delegated roles are added as searches need them. */
  private record Session(
      Instant start,
      Root root,
      Timestamp timestamp,
      Snapshot snapshot,
      Targets targets,
      Map<String, Metadata<Targets>> delegated) {}

  private final Clock clock;
  private final RemoteRepository remote;
  private final TrustedStore store;
  private final byte[] bootstrapRoot;
  private final Limits limits;
  private Session session;

  /**
   * @param bootstrapRoot root metadata shipped with the client out of band (§5.2); it is used when
   *     the store holds no newer root
   */
  public TufUpdater(
      Clock clock,
      RemoteRepository remote,
      TrustedStore store,
      byte[] bootstrapRoot,
      Limits limits) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.remote = Objects.requireNonNull(remote, "remote");
    this.store = Objects.requireNonNull(store, "store");
    this.bootstrapRoot = bootstrapRoot.clone();
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public TufUpdater(
      Clock clock, RemoteRepository remote, TrustedStore store, byte[] bootstrapRoot) {
    this(clock, remote, store, bootstrapRoot, Limits.defaults());
  }

  /**
   * Runs §5.1 to §5.6.6: afterwards root, timestamp, snapshot and top-level targets are current,
   * verified and unexpired.
   *
   * @throws TufException if any check fails; the previous refresh's state is discarded
   */
  public synchronized void refresh() {
    session = null;
    // 5.1: fix the update start time; every expiry below is checked against it.
    Instant now = clock.instant();
    Root root = updateRoot(loadTrustedRoot(), now);
    Timestamp timestamp = updateTimestamp(root, now);
    Snapshot snapshot = updateSnapshot(root, timestamp, now);
    Targets targets = updateTargets(root, snapshot, now);
    session = new Session(now, root, timestamp, snapshot, targets, new HashMap<>());
  }

  /** The root trusted by the last successful refresh. */
  public synchronized Root trustedRoot() {
    return requireSession().root();
  }

  /**
   * §5.6.7: finds what trusted metadata says about a target, by a pre-order depth-first search of
   * the delegation graph from top-level targets. A role is only consulted for paths every
   * delegation on its chain trusts it for; a terminating delegation ends the search after its
   * subtree; cycles are skipped and at most {@link Limits#maxDelegations()} roles are visited.
   *
   * @return the target, or empty if no trusted role lists it
   * @throws TufException if delegated metadata needed for the search fails verification
   * @throws IllegalStateException before a successful {@link #refresh()}
   */
  public synchronized Optional<TargetInfo> targetInfo(String path) {
    Session s = requireSession();
    record Pending(String role, Targets parent) {}
    Deque<Pending> toVisit = new ArrayDeque<>();
    toVisit.push(new Pending(TARGETS, s.targets()));
    Set<String> visited = new HashSet<>();
    while (!toVisit.isEmpty() && visited.size() < limits.maxDelegations()) {
      Pending next = toVisit.pop();
      // 5.6.7.1: skip roles already visited, so delegation cycles end.
      if (!visited.add(next.role())) {
        continue;
      }
      Targets targets =
          next.role().equals(TARGETS) ? s.targets() : delegated(s, next.role(), next.parent());
      TargetFile file = targets.targets().get(path);
      if (file != null) {
        return Optional.of(new TargetInfo(path, file, next.role()));
      }
      // 5.6.7.2: delegations in order of appearance, only those trusted for this path.
      List<Pending> children = new ArrayList<>();
      for (DelegatedRole child : targets.delegations().map(d -> d.roles()).orElse(List.of())) {
        if (child.paths().matches(path)) {
          children.add(new Pending(child.name(), targets));
          if (child.terminating()) {
            // 5.6.7.2.1: nothing after a matching terminating delegation is considered.
            toVisit.clear();
            break;
          }
        }
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        toVisit.push(children.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * §5.7: downloads a target and returns its bytes only if their length and SHA-256 are those of
   * the trusted metadata.
   *
   * @throws LengthOrHashMismatchException if the bytes are not the target's
   */
  public synchronized byte[] download(TargetInfo target) {
    Session s = requireSession();
    TargetFile file = target.file();
    String name = TufLayout.targetFile(target.path(), file.sha256(), s.root().consistentSnapshot());
    byte[] bytes = remote.fetchTarget(name, file.length());
    TufVerifier.verifyLengthAndHash(
        target.path(), bytes, OptionalLong.of(file.length()), Optional.of(file.sha256()));
    return bytes;
  }

  private Session requireSession() {
    if (session == null) {
      throw new IllegalStateException("no successful refresh()");
    }
    return session;
  }

  // 5.2: the stored root, or the bootstrap root if it is newer or the stored one is unusable.
  private Metadata<Root> loadTrustedRoot() {
    Metadata<Root> bootstrap = Metadata.parse(bootstrapRoot, Root.class);
    TufVerifier.verifyThreshold(bootstrap, ROOT, bootstrap.signed());
    Optional<Metadata<Root>> stored = loadStored(ROOT, Root.class, null).map(Verified::metadata);
    return stored
        .filter(r -> r.signed().version() > bootstrap.signed().version())
        .orElse(bootstrap);
  }

  private Root updateRoot(Metadata<Root> initial, Instant now) {
    Metadata<Root> trusted = initial;
    for (int i = 0; i < limits.maxRootUpdates(); i++) {
      // 5.3.2-3: try N+1.root.json until it does not exist.
      long next = trusted.signed().version() + 1;
      String file = TufLayout.rootFile(next);
      Optional<byte[]> bytes = fetch(file, limits.rootMaxBytes());
      if (bytes.isEmpty()) {
        break;
      }
      Metadata<Root> candidate = Metadata.parse(bytes.get(), Root.class);
      // 5.3.4: signed by a threshold of the trusted root's keys AND of its own.
      TufVerifier.verifyThreshold(candidate, ROOT, trusted.signed());
      TufVerifier.verifyThreshold(candidate, ROOT, candidate.signed());
      // 5.3.5: exactly N+1.
      if (candidate.signed().version() != next) {
        throw new BadVersionException(ROOT, next, candidate.signed().version());
      }
      // 5.3.7-8: trust and persist it.
      trusted = candidate;
      store.store(ROOT, bytes.get());
    }
    Root root = trusted.signed();
    // 5.3.10: only the final root has to be unexpired.
    TufVerifier.verifyNotExpired(ROOT, root, now);
    // 5.3.11: after a timestamp or snapshot key rotation, forget their trusted metadata so a
    // repository recovering from a fast-forward attack can restart their version numbers.
    Root old = initial.signed();
    if (rotated(old, root, RoleType.TIMESTAMP) || rotated(old, root, RoleType.SNAPSHOT)) {
      store.delete(TIMESTAMP);
      store.delete(SNAPSHOT);
    }
    return root;
  }

  private static boolean rotated(Root old, Root current, RoleType role) {
    return !Set.copyOf(old.role(role).keyIds()).equals(Set.copyOf(current.role(role).keyIds()));
  }

  private Timestamp updateTimestamp(Root root, Instant now) {
    Optional<Verified<Timestamp>> trusted = loadStored(TIMESTAMP, Timestamp.class, root);
    // 5.4.1
    byte[] bytes =
        fetch(TufLayout.TIMESTAMP_JSON, limits.timestampMaxBytes())
            .orElseThrow(() -> new MetadataNotFoundException(TufLayout.TIMESTAMP_JSON));
    Metadata<Timestamp> fresh = Metadata.parse(bytes, Timestamp.class);
    // 5.4.2
    TufVerifier.verifyThreshold(fresh, TIMESTAMP, root);
    Timestamp timestamp = fresh.signed();
    boolean unchanged = false;
    if (trusted.isPresent()) {
      Timestamp old = trusted.get().signed();
      // 5.4.3.1: the timestamp version never goes back; an equal one means nothing changed.
      if (timestamp.version() < old.version()) {
        throw new RollbackException(TIMESTAMP, old.version(), timestamp.version());
      }
      unchanged = timestamp.version() == old.version();
      if (unchanged) {
        timestamp = old;
      }
      // 5.4.3.2: nor does the snapshot version it lists.
      long oldSnapshot = old.snapshotMeta().version();
      if (timestamp.snapshotMeta().version() < oldSnapshot) {
        throw new RollbackException(SNAPSHOT, oldSnapshot, timestamp.snapshotMeta().version());
      }
    }
    // 5.4.4
    TufVerifier.verifyNotExpired(TIMESTAMP, timestamp, now);
    // 5.4.5
    if (!unchanged) {
      store.store(TIMESTAMP, bytes);
    }
    return timestamp;
  }

  private Snapshot updateSnapshot(Root root, Timestamp timestamp, Instant now) {
    Optional<Verified<Snapshot>> trusted = loadStored(SNAPSHOT, Snapshot.class, root);
    MetaFile meta = timestamp.snapshotMeta();
    Optional<Verified<Snapshot>> reused = reusable(trusted, meta);
    // 5.5.1-4: length, hash, signatures and version as the timestamp says.
    Verified<Snapshot> fresh =
        reused.orElseGet(
            () ->
                fetchVerified(
                    SNAPSHOT,
                    Snapshot.class,
                    meta,
                    limits.snapshotMaxBytes(),
                    root,
                    root.consistentSnapshot()));
    Snapshot snapshot = fresh.signed();
    // 5.5.5: no targets role disappears or goes back a version.
    if (trusted.isPresent() && reused.isEmpty()) {
      for (Map.Entry<String, MetaFile> old : trusted.get().signed().meta().entrySet()) {
        MetaFile current = snapshot.meta().get(old.getKey());
        if (current == null) {
          throw new MetaEntryMissingException(old.getKey());
        }
        if (current.version() < old.getValue().version()) {
          String role = old.getKey().substring(0, old.getKey().length() - ".json".length());
          throw new RollbackException(role, old.getValue().version(), current.version());
        }
      }
    }
    // 5.5.6
    TufVerifier.verifyNotExpired(SNAPSHOT, snapshot, now);
    // 5.5.7
    if (reused.isEmpty()) {
      store.store(SNAPSHOT, fresh.bytes());
    }
    return snapshot;
  }

  private Targets updateTargets(Root root, Snapshot snapshot, Instant now) {
    return updateTargetsRole(TARGETS, snapshot.targetsMeta(), root, root.consistentSnapshot(), now)
        .signed();
  }

  // 5.6.1-6, for top-level targets (delegated by root) and delegated roles (by their parent).
  private Verified<Targets> updateTargetsRole(
      String role, MetaFile meta, Delegator delegator, boolean consistent, Instant now) {
    Optional<Verified<Targets>> reused = reusable(loadStored(role, Targets.class, delegator), meta);
    // 5.6.1-4: length, hash, signatures and version as the snapshot says.
    Verified<Targets> fresh =
        reused.orElseGet(
            () ->
                fetchVerified(
                    role, Targets.class, meta, limits.targetsMaxBytes(), delegator, consistent));
    // 5.6.5
    TufVerifier.verifyNotExpired(role, fresh.signed(), now);
    // 5.6.6
    if (reused.isEmpty()) {
      store.store(role, fresh.bytes());
    }
    return fresh;
  }

  private Targets delegated(Session s, String role, Targets parent) {
    Metadata<Targets> verified = s.delegated().get(role);
    if (verified == null) {
      MetaFile meta =
          s.snapshot()
              .roleMeta(role)
              .orElseThrow(() -> new MetaEntryMissingException(role + ".json"));
      verified =
          updateTargetsRole(role, meta, parent, s.root().consistentSnapshot(), s.start())
              .metadata();
      s.delegated().put(role, verified);
    } else {
      // A role reached again from another parent must satisfy that parent's keys as well.
      TufVerifier.verifyThreshold(verified, role, parent);
    }
    return verified.signed();
  }

  /**
   * Fetches {@code [N.]role.json} and checks it against its trusted meta entry: no longer than
   * allowed, the listed length and hash, a threshold of the delegator's keys, the listed version.
   */
  private <T extends Signed> Verified<T> fetchVerified(
      String role,
      Class<T> type,
      MetaFile meta,
      long defaultMaxBytes,
      Delegator delegator,
      boolean consistent) {
    String file = TufLayout.metadataFile(role, meta.version(), consistent);
    long max = meta.length().orElse(defaultMaxBytes);
    byte[] bytes = fetch(file, max).orElseThrow(() -> new MetadataNotFoundException(file));
    // Hashes first: they come from already verified metadata and reject tampering cheaply.
    TufVerifier.verifyLengthAndHash(file, bytes, meta);
    Metadata<T> metadata = Metadata.parse(bytes, type);
    TufVerifier.verifyThreshold(metadata, role, delegator);
    if (metadata.signed().version() != meta.version()) {
      throw new BadVersionException(role, meta.version(), metadata.signed().version());
    }
    return new Verified<>(metadata, bytes);
  }

  /** The stored metadata if it is exactly what the meta entry describes, so need not be fetched. */
  private static <T extends Signed> Optional<Verified<T>> reusable(
      Optional<Verified<T>> stored, MetaFile meta) {
    return stored.filter(
        v -> {
          if (v.signed().version() != meta.version()) {
            return false;
          }
          try {
            TufVerifier.verifyLengthAndHash("stored", v.bytes(), meta);
            return true;
          } catch (LengthOrHashMismatchException e) {
            return false;
          }
        });
  }

  /**
   * The stored metadata of a role if it parses and a threshold of the delegator's keys (its own
   * root keys for root) still sign it; anything else is treated as absent.
   */
  private <T extends Signed> Optional<Verified<T>> loadStored(
      String role, Class<T> type, Delegator delegator) {
    Optional<byte[]> bytes = store.load(role);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      Metadata<T> metadata = Metadata.parse(bytes.get(), type);
      Delegator keys = delegator != null ? delegator : (Delegator) metadata.signed();
      TufVerifier.verifyThreshold(metadata, role, keys);
      return Optional.of(new Verified<>(metadata, bytes.get()));
    } catch (TufException e) {
      return Optional.empty();
    }
  }

  private Optional<byte[]> fetch(String file, long maxLength) {
    Optional<byte[]> bytes = remote.fetchMetadata(file, maxLength);
    if (bytes.isPresent() && bytes.get().length > maxLength) {
      throw new MetadataTooLargeException(file, maxLength);
    }
    return bytes;
  }
}
