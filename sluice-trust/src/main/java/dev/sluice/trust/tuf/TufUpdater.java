package dev.sluice.trust.tuf;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tuf.MetadataLoader.Verified;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import dev.sluice.trust.tuf.model.TufException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
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
 * Instances are safe to share: refresh and search are serialized; downloads run concurrently.
 */
public final class TufUpdater {
  private static final String ROOT = RoleType.ROOT.typeName();
  private static final String TIMESTAMP = RoleType.TIMESTAMP.typeName();
  private static final String SNAPSHOT = RoleType.SNAPSHOT.typeName();
  private static final String TARGETS = RoleType.TARGETS.typeName();

  /** How many roles one {@link #listedTargets} may read: a product's role and its bins. */
  public static final int MAX_LISTED_ROLES = 4096;

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
  private final MetadataLoader loader;
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
    this.loader = new MetadataLoader(remote, store);
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
    // topRole: the role top-level targets delegated to on the way here.
    record Pending(String role, Targets parent, String topRole) {}
    Deque<Pending> toVisit = new ArrayDeque<>();
    toVisit.push(new Pending(TARGETS, s.targets(), TARGETS));
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
        return Optional.of(new TargetInfo(path, file, next.role(), next.topRole()));
      }
      // 5.6.7.2: delegations in order of appearance, only those trusted for this path.
      List<Pending> children = new ArrayList<>();
      for (DelegatedRole child : targets.delegations().map(d -> d.roles()).orElse(List.of())) {
        if (child.paths().matches(path)) {
          String topRole = next.role().equals(TARGETS) ? child.name() : next.topRole();
          children.add(new Pending(child.name(), targets, topRole));
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
   * The roles top-level targets delegates to, in order of appearance.
   *
   * @throws IllegalStateException before a successful {@link #refresh()}
   */
  public synchronized List<String> delegatedRoles() {
    return requireSession().targets().delegations().map(d -> d.roles()).orElse(List.of()).stream()
        .map(DelegatedRole::name)
        .toList();
  }

  /**
   * The target paths listed by a role that top-level targets delegates to, or by the roles it
   * delegates to in turn (such as hashed bins), restricted to the paths every delegation on the way
   * trusts them for (§5.6.7.2). Each role's metadata is fetched and verified as for a search, so
   * this reads the whole subtree (at most {@link #MAX_LISTED_ROLES} roles). A path listed here can
   * still be shadowed by an earlier delegation: resolve it with {@link #targetInfo} before trusting
   * it.
   *
   * @throws TufException if a role's metadata fails verification
   * @throws IllegalStateException before a successful {@link #refresh()}
   */
  public synchronized List<String> listedTargets(String role) {
    Session s = requireSession();
    DelegatedRole delegation = s.targets().delegations().flatMap(d -> d.role(role)).orElse(null);
    if (delegation == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Set<String> visited = new HashSet<>(Set.of(TARGETS, role));
    listInto(s, delegated(s, role, s.targets()), List.of(delegation.paths()), visited, out);
    return out;
  }

  private void listInto(
      Session s, Targets targets, List<TargetPaths> chain, Set<String> visited, List<String> out) {
    for (String path : targets.targets().keySet()) {
      if (chain.stream().allMatch(p -> p.matches(path))) {
        out.add(path);
      }
    }
    for (DelegatedRole child : targets.delegations().map(d -> d.roles()).orElse(List.of())) {
      // Cycles end at a role already read; the subtree is bounded.
      if (visited.size() >= MAX_LISTED_ROLES || !visited.add(child.name())) {
        continue;
      }
      List<TargetPaths> childChain = new ArrayList<>(chain);
      childChain.add(child.paths());
      listInto(s, delegated(s, child.name(), targets), childChain, visited, out);
    }
  }

  /**
   * §5.7: downloads a target and returns its bytes only if their length and SHA-256 are those of
   * the trusted metadata. For large targets use {@link #download(TargetInfo, OutputStream)}.
   *
   * @throws LengthOrHashMismatchException if the bytes are not the target's
   */
  public byte[] download(TargetInfo target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    download(target, out);
    return out.toByteArray();
  }

  /**
   * §5.7: streams a target into {@code sink}, hashing on the way, and returns normally only if the
   * bytes have the trusted length and SHA-256. At most one byte more than the trusted length is
   * read, and never more than it is written. The sink sees bytes before they are verified: unless
   * this method returns normally, what it holds must be discarded (for an A/B update: never mark
   * the slot bootable).
   *
   * @throws LengthOrHashMismatchException if the bytes are not the target's
   * @throws UncheckedIOException if reading the target or writing the sink fails
   */
  public void download(TargetInfo target, OutputStream sink) {
    boolean consistent;
    synchronized (this) {
      consistent = requireSession().root().consistentSnapshot();
    }
    TargetFile file = target.file();
    long length = file.length();
    String name = TufLayout.targetFile(target.path(), file.sha256(), consistent);
    MessageDigest digest = Sha256.newDigest();
    long total = 0;
    try (InputStream in = remote.openTarget(name, length)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      // At most one byte past the trusted length is ever read, and none of it is written.
      while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, length - total + 1))) > 0) {
        if (n > length - total) {
          throw new LengthOrHashMismatchException(
              target.path(), "length " + length, "more than " + length + " bytes");
        }
        digest.update(buffer, 0, n);
        sink.write(buffer, 0, n);
        total += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("downloading " + name + " failed", e);
    }
    if (total != length) {
      throw new LengthOrHashMismatchException(target.path(), "length " + length, "length " + total);
    }
    Sha256 actual = Sha256.fromBytes(digest.digest());
    if (!actual.matches(file.sha256())) {
      throw new LengthOrHashMismatchException(
          target.path(), "sha256 " + file.sha256().hex(), "sha256 " + actual.hex());
    }
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
    return loader
        .loadStoredRoot()
        .filter(r -> r.signed().version() > bootstrap.signed().version())
        .orElse(bootstrap);
  }

  private Root updateRoot(Metadata<Root> initial, Instant now) {
    Metadata<Root> trusted = initial;
    for (int i = 0; i < limits.maxRootUpdates(); i++) {
      // 5.3.2-3: try N+1.root.json until it does not exist.
      long next = trusted.signed().version() + 1;
      String file = TufLayout.rootFile(next);
      Optional<byte[]> bytes = loader.fetch(file, limits.rootMaxBytes());
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
      // 5.3.11, done per version and before persisting it so that a crash in between cannot
      // keep metadata of rotated-out keys: after a timestamp or snapshot key rotation, forget
      // their trusted metadata, so a repository recovering from a fast-forward attack can restart
      // their version numbers.
      if (rotated(trusted.signed(), candidate.signed(), RoleType.TIMESTAMP)
          || rotated(trusted.signed(), candidate.signed(), RoleType.SNAPSHOT)) {
        store.delete(TIMESTAMP);
        store.delete(SNAPSHOT);
      }
      // 5.3.7-8: trust and persist it.
      trusted = candidate;
      store.store(ROOT, bytes.get());
    }
    Root root = trusted.signed();
    // 5.3.10: only the final root has to be unexpired.
    TufVerifier.verifyNotExpired(ROOT, root, now);
    return root;
  }

  private static boolean rotated(Root old, Root current, RoleType role) {
    return !Set.copyOf(old.role(role).keyIds()).equals(Set.copyOf(current.role(role).keyIds()));
  }

  private Timestamp updateTimestamp(Root root, Instant now) {
    Optional<Verified<Timestamp>> trusted = loader.loadStored(TIMESTAMP, Timestamp.class, root);
    // 5.4.1
    byte[] bytes =
        loader
            .fetch(TufLayout.TIMESTAMP_JSON, limits.timestampMaxBytes())
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
    Optional<Verified<Snapshot>> trusted = loader.loadStored(SNAPSHOT, Snapshot.class, root);
    MetaFile meta = timestamp.snapshotMeta();
    Optional<Verified<Snapshot>> reused = MetadataLoader.reusable(trusted, meta);
    // 5.5.1-4: length, hash, signatures and version as the timestamp says.
    Verified<Snapshot> fresh =
        reused.orElseGet(
            () ->
                loader.fetchVerified(
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
    Optional<Verified<Targets>> reused =
        MetadataLoader.reusable(loader.loadStored(role, Targets.class, delegator), meta);
    // 5.6.1-4: length, hash, signatures and version as the snapshot says.
    Verified<Targets> fresh =
        reused.orElseGet(
            () ->
                loader.fetchVerified(
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
}
