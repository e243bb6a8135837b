package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.SignatureTally;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.TufVerifier;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TUF repository (TUF 1.0.x, consistent snapshots): an offline, M-of-N root uploaded
 * by its key holders; targets, snapshot and timestamp signed with the server's online keys; and one
 * delegated targets role per product, trusted only for {@code <product>/*}{@code /*} (target paths
 * are {@code <product>/<version>/<artifact>}), so a product's key cannot speak for another product.
 * Every change writes new versions of the metadata through {@link TufStorage}, inside the caller's
 * transaction; nothing is ever overwritten.
 */
public final class TufRepository {
  public static final String ROOT = "root";
  public static final String TARGETS = "targets";
  public static final String SNAPSHOT = "snapshot";
  public static final String TIMESTAMP = "timestamp";
  private static final Set<String> TOP_LEVEL = Set.of(ROOT, TARGETS, SNAPSHOT, TIMESTAMP);
  private static final Pattern VERSIONED =
      Pattern.compile("([1-9][0-9]{0,17})\\.([a-z0-9-]+)\\.json");

  private final OnlineKeys keys;
  private final Clock clock;
  private final RepositoryBuilder builder;
  private final RepositoryBuilder.Expiry expiry;
  private final RepositoryBuilder offlineBuilder;
  private final Duration offlineTargetsExpiry;

  /** How long a product role signed offline stays valid unless configured: a year. */
  public static final Duration DEFAULT_OFFLINE_TARGETS_EXPIRY = Duration.ofDays(365);

  public TufRepository(OnlineKeys keys, Clock clock, RepositoryBuilder.Expiry expiry) {
    this(keys, clock, expiry, DEFAULT_OFFLINE_TARGETS_EXPIRY);
  }

  /**
   * @param offlineTargetsExpiry how long metadata of a role signed offline stays valid (its holder
   *     signs it rarely, and the server cannot re-sign it)
   */
  public TufRepository(
      OnlineKeys keys,
      Clock clock,
      RepositoryBuilder.Expiry expiry,
      Duration offlineTargetsExpiry) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.builder = new RepositoryBuilder(clock, expiry);
    this.offlineTargetsExpiry =
        Objects.requireNonNull(offlineTargetsExpiry, "offlineTargetsExpiry");
    this.offlineBuilder =
        new RepositoryBuilder(
            clock,
            new RepositoryBuilder.Expiry(
                expiry.root(), offlineTargetsExpiry, expiry.snapshot(), expiry.timestamp()));
  }

  /** The public keys root must list for targets, snapshot and timestamp. */
  public Map<RoleType, VerificationKey> onlineKeys() {
    Map<RoleType, VerificationKey> out = new LinkedHashMap<>();
    for (RoleType type : List.of(RoleType.TARGETS, RoleType.SNAPSHOT, RoleType.TIMESTAMP)) {
      out.put(type, keys.role(type).verificationKey());
    }
    return out;
  }

  /**
   * Opens (creating if needed) the online keys that signing the product's targets uses: targets,
   * snapshot, timestamp and, unless its role is signed offline, the product's. Call it outside any
   * transaction: opening or creating a key derives its encryption key with PBKDF2, which is slow by
   * design, and a write transaction would hold the database's write lock meanwhile; creating one
   * stores it in a transaction of its own, which on SQLite must not wait for an open one.
   */
  public void prepareKeys(Optional<ProductName> product, boolean productOffline) {
    for (RoleType type : List.of(RoleType.TARGETS, RoleType.SNAPSHOT, RoleType.TIMESTAMP)) {
      keys.role(type);
    }
    if (product.isPresent() && !productOffline) {
      keys.product(product.get());
    }
  }

  public boolean hasRoot(TufPorts repos) {
    return repos.tuf().latestVersion(ROOT).isPresent();
  }

  /**
   * Installs root metadata signed offline: version 1 (then targets, snapshot and timestamp version
   * 1 are written) or the current version plus one (a rotation, also signed by a threshold of the
   * current root's keys). The root must list exactly this server's online key, threshold 1, for
   * targets, snapshot and timestamp, use consistent snapshots, and not be expired.
   *
   * @return the installed root
   * @throws SluiceException.InvalidInput if the root is malformed or any check fails
   */
  public Root installRoot(TufPorts repos, byte[] bytes) {
    Metadata<Root> metadata = parse(bytes, Root.class);
    Root root = metadata.signed();
    repos.tuf().lock();
    OptionalLong current = repos.tuf().latestVersion(ROOT);
    long expected = current.orElse(0) + 1;
    if (root.version() != expected) {
      throw new SluiceException.InvalidInput(
          "the root must be version " + expected + ", got " + root.version());
    }
    if (!root.consistentSnapshot()) {
      throw new SluiceException.InvalidInput("the root must set consistent_snapshot to true");
    }
    try {
      TufVerifier.verifyNotExpired(ROOT, root, clock.instant());
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput("root refused: " + e.getMessage(), List.of(), e);
    }
    // TUF 1.0 §5.3.4: a new root is signed by a threshold of its own keys, and of the trusted
    // root's keys when it rotates.
    List<String> shortfalls = new ArrayList<>();
    SignatureTally own = SignatureTally.of(metadata, ROOT, root);
    if (!own.met()) {
      shortfalls.add("the new root's keys: " + own.describe());
    }
    if (current.isPresent()) {
      SignatureTally old = SignatureTally.of(metadata, ROOT, currentRoot(repos));
      if (!old.met()) {
        shortfalls.add(
            "the current root's (version " + current.getAsLong() + ") keys: " + old.describe());
      }
    }
    if (!shortfalls.isEmpty()) {
      throw new SluiceException.InvalidInput(
          "root refused: signature threshold not met by " + String.join("; and by ", shortfalls));
    }
    onlineKeys()
        .forEach(
            (type, key) -> {
              RoleKeys role = root.role(type);
              if (role.threshold() != 1 || !role.keyIds().equals(List.of(key.keyId()))) {
                throw new SluiceException.InvalidInput(
                    "the root must list exactly the server's "
                        + type.typeName()
                        + " key "
                        + key.keyId()
                        + " with threshold 1 (see GET /api/v1/tuf/keys)");
              }
            });
    Instant now = clock.instant();
    repos.tuf().insert(ROOT, root.version(), metadata.toBytes(), now);
    if (current.isEmpty()) {
      Targets targets = builder.targets(1, Map.of(), List.of());
      Metadata<Targets> targetsMd =
          RepositoryBuilder.sign(targets, TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
      repos.tuf().insert(TARGETS, 1, targetsMd.toBytes(), now);
      snapshotAndTimestamp(repos, root, targetsMd, now);
    }
    return root;
  }

  /**
   * Changes the product's delegated targets. Signed online: writes new versions of the product's
   * role, top-level targets (which delegates to it), snapshot and timestamp. Signed offline (a key
   * registered with {@link #setOfflineKey}): folds the change into the role's pending metadata,
   * which waits for the key holder's signature ({@link #completePending}); nothing is served yet.
   *
   * @param change edits the product's targets, keyed by target path
   * @throws SluiceException.Conflict (NOT_READY) if there is no root yet
   */
  public ProductUpdate updateProductTargets(
      TufPorts repos, ProductName product, Consumer<Map<String, TargetFile>> change) {
    requireRoot(repos);
    repos.tuf().lock();
    String role = roleName(product);
    Optional<PendingMetadata> pending = repos.offlineRoles().pending(role);
    Map<String, TargetFile> files =
        new TreeMap<>(
            pending.isPresent()
                ? pending.get().metadata().signed().targets()
                : currentFiles(repos, role));
    change.accept(files);
    for (String path : files.keySet()) {
      if (!path.startsWith(role + "/")) {
        throw new IllegalArgumentException(path + " is not a target path of product " + role);
      }
    }
    Instant now = clock.instant();
    long version = repos.tuf().latestVersion(role).orElse(0) + 1;
    Optional<VerificationKey> offline = repos.offlineRoles().key(role);
    if (offline.isPresent()) {
      PendingMetadata next = pending(role, version, files, now);
      repos.offlineRoles().putPending(next);
      return new ProductUpdate.Awaiting(next, offline.get().keyId());
    }
    writeOnline(repos, product, version, files, now);
    return new ProductUpdate.Written(version);
  }

  /**
   * Registers an offline key for the product's role. If the role already has metadata its next
   * version, with the same targets and a fresh expiry, waits for the key's signature; the
   * delegation in top-level targets moves to the key only when that signature arrives, so devices
   * keep verifying the current metadata meanwhile. Registering the same key again is how an
   * operator asks its holder to re-sign metadata that will soon expire.
   *
   * @return the role's pending metadata, if any
   */
  public Optional<PendingMetadata> setOfflineKey(
      TufPorts repos, ProductName product, VerificationKey key) {
    repos.tuf().lock();
    String role = roleName(product);
    Instant now = clock.instant();
    repos.offlineRoles().putKey(role, key, now);
    Optional<PendingMetadata> pending = repos.offlineRoles().pending(role);
    OptionalLong version = repos.tuf().latestVersion(role);
    if (pending.isPresent() || version.isEmpty()) {
      return pending;
    }
    PendingMetadata next = pending(role, version.getAsLong() + 1, currentFiles(repos, role), now);
    repos.offlineRoles().putPending(next);
    return Optional.of(next);
  }

  /**
   * Signs the product's role online again: forgets its offline key and, if the role has metadata or
   * pending metadata, writes its next version (the pending targets, if any) signed by the server's
   * key for the product, with the delegation moved to that key.
   *
   * @return whether pending metadata was published this way (its publications are then done)
   */
  public boolean setOnline(TufPorts repos, ProductName product) {
    repos.tuf().lock();
    String role = roleName(product);
    if (repos.offlineRoles().key(role).isEmpty()) {
      return false;
    }
    repos.offlineRoles().removeKey(role);
    Optional<PendingMetadata> pending = repos.offlineRoles().pending(role);
    OptionalLong version = repos.tuf().latestVersion(role);
    if (pending.isEmpty() && version.isEmpty()) {
      return false;
    }
    Map<String, TargetFile> files =
        pending.isPresent()
            ? pending.get().metadata().signed().targets()
            : currentFiles(repos, role);
    writeOnline(repos, product, version.orElse(0) + 1, files, clock.instant());
    repos.offlineRoles().removePending(role);
    return pending.isPresent();
  }

  /**
   * Publishes the role's pending metadata with its offline key holder's signature: checks that the
   * signer saw exactly the pending bytes ({@code signedSha256}), that the signature is by the
   * registered key and verifies over those bytes, then writes the role, top-level targets
   * (delegating to that key), snapshot and timestamp. Submitting the signature of metadata already
   * published this way again changes nothing.
   *
   * @return the role's version that carries the signature
   * @throws SluiceException.InvalidInput if the key is not the role's or the signature is bad
   * @throws SluiceException.Conflict (STALE_METADATA) if the pending bytes changed, (NOT_READY) if
   *     nothing is pending
   */
  public long completePending(
      TufPorts repos, ProductName product, Signature signature, Sha256 signedSha256) {
    requireRoot(repos);
    repos.tuf().lock();
    String role = roleName(product);
    Optional<PendingMetadata> found = repos.offlineRoles().pending(role);
    if (found.isEmpty()) {
      OptionalLong version = repos.tuf().latestVersion(role);
      if (version.isPresent()) {
        Metadata<Targets> current = latest(repos, role, Targets.class);
        if (Sha256.of(current.signedBytes()).matches(signedSha256)
            && current.signatures().contains(signature)) {
          return version.getAsLong();
        }
      }
      throw new Conflict(
          ConflictKind.NOT_READY, "no metadata of product " + product + " awaits a signature");
    }
    PendingMetadata pending = found.get();
    if (!pending.sha256().matches(signedSha256)) {
      throw new Conflict(
          ConflictKind.STALE_METADATA,
          "the pending metadata of product "
              + product
              + " changed since it was fetched (it is now "
              + pending.version()
              + "."
              + role
              + ".json, sha256 "
              + pending.sha256().hex()
              + "): fetch it again and sign that");
    }
    VerificationKey key =
        repos
            .offlineRoles()
            .key(role)
            .orElseThrow(() -> new IllegalStateException("pending metadata without a key"));
    if (!key.keyId().equals(signature.keyId())) {
      throw new SluiceException.InvalidInput(
          "the signature is by key "
              + signature.keyId()
              + " but product "
              + product
              + "'s offline key is "
              + key.keyId());
    }
    try {
      key.verify(pending.signed(), signature.bytes());
    } catch (SignatureVerificationException e) {
      throw new SluiceException.InvalidInput(
          "the signature does not verify with product "
              + product
              + "'s offline key "
              + key.keyId()
              + " over the pending metadata",
          List.of(),
          e);
    }
    Metadata<Targets> signed = pending.metadata().withSignatures(List.of(signature));
    Root root = currentRoot(repos);
    Targets newTop = nextTop(repos, role, key);
    TufVerifier.verifyThreshold(signed, role, newTop);
    Metadata<Targets> topMd =
        RepositoryBuilder.sign(newTop, TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
    write(repos, root, topMd, role, signed, clock.instant());
    repos.offlineRoles().removePending(role);
    return pending.version();
  }

  /** Every role's metadata waiting for an offline signature. */
  public List<PendingMetadata> pending(TufPorts repos) {
    return repos.offlineRoles().allPending();
  }

  /** The product's role's pending metadata, if any. */
  public Optional<PendingMetadata> pending(TufPorts repos, ProductName product) {
    return repos.offlineRoles().pending(roleName(product));
  }

  /** The product's offline key, if its role is signed offline. */
  public Optional<VerificationKey> offlineKey(TufPorts repos, ProductName product) {
    return repos.offlineRoles().key(roleName(product));
  }

  private PendingMetadata pending(
      String role, long version, Map<String, TargetFile> files, Instant now) {
    Targets targets = offlineBuilder.targets(version, files, List.of());
    return new PendingMetadata(role, version, Metadata.unsigned(targets).signedBytes(), now);
  }

  private Map<String, TargetFile> currentFiles(TufPorts repos, String role) {
    return repos.tuf().latestVersion(role).isPresent()
        ? latest(repos, role, Targets.class).signed().targets()
        : Map.of();
  }

  /** Writes the product's role signed by its online key, delegated to that key. */
  private void writeOnline(
      TufPorts repos,
      ProductName product,
      long version,
      Map<String, TargetFile> files,
      Instant now) {
    String role = product.value();
    Root root = currentRoot(repos);
    SigningKey key = keys.product(product);
    Targets newTop = nextTop(repos, role, key.verificationKey());
    Metadata<Targets> topMd =
        RepositoryBuilder.sign(newTop, TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
    Targets productTargets = builder.targets(version, files, List.of());
    Metadata<Targets> productMd =
        RepositoryBuilder.sign(productTargets, role, newTop, List.of(key));
    write(repos, root, topMd, role, productMd, now);
  }

  /** The next top-level targets, delegating the role's paths to {@code key} alone. */
  private Targets nextTop(TufPorts repos, String role, VerificationKey key) {
    Targets top = latest(repos, TARGETS, Targets.class).signed();
    List<Delegation> delegations = delegations(top);
    Delegation delegation =
        new Delegation(
            role, new RoleKeySet(List.of(key), 1), TargetPaths.patterns(role + "/*/*"), true);
    boolean replaced = false;
    for (int i = 0; i < delegations.size(); i++) {
      if (delegations.get(i).name().equals(role)) {
        delegations.set(i, delegation);
        replaced = true;
      }
    }
    if (!replaced) {
      delegations.add(delegation);
    }
    return builder.targets(top.version() + 1, top.targets(), delegations);
  }

  private void write(
      TufPorts repos,
      Root root,
      Metadata<Targets> topMd,
      String role,
      Metadata<Targets> productMd,
      Instant now) {
    repos.tuf().insert(TARGETS, topMd.signed().version(), topMd.toBytes(), now);
    repos.tuf().insert(role, productMd.signed().version(), productMd.toBytes(), now);
    snapshotAndTimestamp(repos, root, topMd, now);
  }

  /**
   * Re-signs online metadata before it expires: every targets role (top-level or a product's),
   * snapshot and timestamp with less than half of its lifetime left gets a new version, and so do
   * the snapshot and timestamp above it. Root and the roles signed offline are not touched; their
   * pending (unsigned) metadata is renewed past half its lifetime.
   *
   * @return whether anything was signed
   */
  public boolean refreshExpiring(TufPorts repos) {
    if (!hasRoot(repos)) {
      return false;
    }
    repos.tuf().lock();
    Instant now = clock.instant();
    Root root = currentRoot(repos);
    renewPending(repos, now);
    Metadata<Targets> top = latest(repos, TARGETS, Targets.class);
    boolean changed = false;
    for (DelegatedRole d : top.signed().delegations().map(Delegations::roles).orElse(List.of())) {
      // An offline role (or one moving to an offline key) cannot be re-signed here; sluice tuf
      // status warns before it expires.
      if (repos.tuf().latestVersion(d.name()).isEmpty()
          || repos.offlineRoles().key(d.name()).isPresent()) {
        continue;
      }
      Targets current = latest(repos, d.name(), Targets.class).signed();
      if (due(current, expiry.targets(), now)) {
        Targets next = builder.targets(current.version() + 1, current.targets(), List.of());
        Metadata<Targets> md =
            RepositoryBuilder.sign(
                next, d.name(), top.signed(), List.of(keys.product(new ProductName(d.name()))));
        repos.tuf().insert(d.name(), next.version(), md.toBytes(), now);
        changed = true;
      }
    }
    if (due(top.signed(), expiry.targets(), now)) {
      Targets next =
          builder.targets(
              top.signed().version() + 1, top.signed().targets(), delegations(top.signed()));
      top = RepositoryBuilder.sign(next, TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
      repos.tuf().insert(TARGETS, next.version(), top.toBytes(), now);
      changed = true;
    }
    if (changed || due(latest(repos, SNAPSHOT, Snapshot.class).signed(), expiry.snapshot(), now)) {
      snapshotAndTimestamp(repos, root, top, now);
      return true;
    }
    if (due(latest(repos, TIMESTAMP, Timestamp.class).signed(), expiry.timestamp(), now)) {
      writeTimestamp(repos, root, latest(repos, SNAPSHOT, Snapshot.class), now);
      return true;
    }
    return false;
  }

  /**
   * Pending metadata is unsigned, so the server can keep it from expiring before its holder signs
   * it: past half its lifetime it is rebuilt with the same version and targets and a new expiry. A
   * holder who fetched the old bytes then gets {@code stale_metadata} and signs the new ones.
   */
  private void renewPending(TufPorts repos, Instant now) {
    for (PendingMetadata p : repos.offlineRoles().allPending()) {
      Targets targets = p.metadata().signed();
      if (due(targets, offlineTargetsExpiry, now)) {
        repos.offlineRoles().putPending(pending(p.role(), p.version(), targets.targets(), now));
      }
    }
  }

  private static boolean due(Signed signed, Duration lifetime, Instant now) {
    return Duration.between(now, signed.expires()).compareTo(lifetime.dividedBy(2)) < 0;
  }

  /**
   * A metadata file as served at {@code /tuf/<fileName>}: {@code timestamp.json} or {@code
   * N.<role>.json}.
   */
  public Optional<byte[]> metadataFile(TufPorts repos, String fileName) {
    if (fileName.equals(TufLayout.TIMESTAMP_JSON)) {
      OptionalLong version = repos.tuf().latestVersion(TIMESTAMP);
      return version.isEmpty()
          ? Optional.empty()
          : repos.tuf().find(TIMESTAMP, version.getAsLong());
    }
    Matcher m = VERSIONED.matcher(fileName);
    if (!m.matches() || m.group(2).equals(TIMESTAMP)) {
      return Optional.empty();
    }
    return repos.tuf().find(m.group(2), Long.parseLong(m.group(1)));
  }

  /**
   * The product's current target at {@code <product>/<version>/<name>} if its SHA-256 is {@code
   * sha256}: what {@code /tuf/targets/<product>/<version>/<sha256>.<name>} serves.
   */
  public Optional<TargetFile> currentTarget(
      TufPorts repos, String product, String version, Sha256 sha256, String name) {
    if (TOP_LEVEL.contains(product) || repos.tuf().latestVersion(product).isEmpty()) {
      return Optional.empty();
    }
    TargetFile file =
        latest(repos, product, Targets.class)
            .signed()
            .targets()
            .get(product + "/" + version + "/" + name);
    return Optional.ofNullable(file).filter(f -> f.sha256().equals(sha256));
  }

  /** Versions, expiries, key ids and thresholds of every role. */
  public TufStatus status(TufPorts repos) {
    requireRoot(repos);
    Root root = currentRoot(repos);
    List<TufStatus.RoleStatus> roles = new ArrayList<>();
    roles.add(status(root, root.role(RoleType.ROOT)));
    Targets top = latest(repos, TARGETS, Targets.class).signed();
    roles.add(status(top, root.role(RoleType.TARGETS)));
    roles.add(
        status(latest(repos, SNAPSHOT, Snapshot.class).signed(), root.role(RoleType.SNAPSHOT)));
    roles.add(
        status(latest(repos, TIMESTAMP, Timestamp.class).signed(), root.role(RoleType.TIMESTAMP)));
    for (DelegatedRole d : top.delegations().map(Delegations::roles).orElse(List.of())) {
      Optional<VerificationKey> offline = repos.offlineRoles().key(d.name());
      Optional<PendingMetadata> pending = repos.offlineRoles().pending(d.name());
      roles.add(
          new TufStatus.RoleStatus(
              d.name(),
              repos.tuf().latestVersion(d.name()).orElse(0),
              latestExpiry(repos, d.name()),
              d.keys().keyIds(),
              d.keys().threshold(),
              offline.isPresent() && d.keys().keyIds().equals(List.of(offline.get().keyId())),
              pending.isPresent()
                  ? OptionalLong.of(pending.get().version())
                  : OptionalLong.empty()));
    }
    return new TufStatus(roles);
  }

  private Instant latestExpiry(TufPorts repos, String role) {
    return repos.tuf().latestVersion(role).isEmpty()
        ? Instant.EPOCH
        : latest(repos, role, Targets.class).signed().expires();
  }

  private static TufStatus.RoleStatus status(Signed signed, RoleKeys keys) {
    return new TufStatus.RoleStatus(
        signed.type().typeName(),
        signed.version(),
        signed.expires(),
        keys.keyIds(),
        keys.threshold(),
        signed.type() == RoleType.ROOT,
        OptionalLong.empty());
  }

  /** The TUF role name of a product's delegated targets. */
  public static String roleName(ProductName product) {
    if (TOP_LEVEL.contains(product.value())) {
      throw new SluiceException.InvalidInput(
          "a product named '" + product + "' cannot be published: the name is a TUF role");
    }
    return product.value();
  }

  /**
   * @throws SluiceException.Conflict (NOT_READY) unless a root is installed
   */
  public void requireRoot(TufPorts repos) {
    if (!hasRoot(repos)) {
      throw new Conflict(
          ConflictKind.NOT_READY, "the TUF repository has no root yet: run sluice tuf root init");
    }
  }

  private void snapshotAndTimestamp(TufPorts repos, Root root, Metadata<Targets> top, Instant now) {
    Map<String, Metadata<Targets>> delegated = new TreeMap<>();
    for (DelegatedRole d : top.signed().delegations().map(Delegations::roles).orElse(List.of())) {
      if (repos.tuf().latestVersion(d.name()).isPresent()) {
        delegated.put(d.name(), latest(repos, d.name(), Targets.class));
      }
    }
    long version = repos.tuf().latestVersion(SNAPSHOT).orElse(0) + 1;
    Snapshot snapshot = builder.snapshot(version, top, delegated);
    Metadata<Snapshot> snapshotMd =
        RepositoryBuilder.sign(snapshot, SNAPSHOT, root, List.of(keys.role(RoleType.SNAPSHOT)));
    repos.tuf().insert(SNAPSHOT, version, snapshotMd.toBytes(), now);
    writeTimestamp(repos, root, snapshotMd, now);
  }

  private void writeTimestamp(TufPorts repos, Root root, Metadata<Snapshot> snapshot, Instant now) {
    long version = repos.tuf().latestVersion(TIMESTAMP).orElse(0) + 1;
    Timestamp timestamp = builder.timestamp(version, snapshot);
    Metadata<Timestamp> md =
        RepositoryBuilder.sign(timestamp, TIMESTAMP, root, List.of(keys.role(RoleType.TIMESTAMP)));
    repos.tuf().insert(TIMESTAMP, version, md.toBytes(), now);
  }

  private static List<Delegation> delegations(Targets top) {
    List<Delegation> out = new ArrayList<>();
    top.delegations()
        .ifPresent(
            ds -> {
              for (DelegatedRole d : ds.roles()) {
                List<VerificationKey> roleKeys =
                    d.keys().keyIds().stream().map(id -> ds.keys().get(id)).toList();
                out.add(
                    new Delegation(
                        d.name(),
                        new RoleKeySet(roleKeys, d.keys().threshold()),
                        d.paths(),
                        d.terminating()));
              }
            });
    return out;
  }

  private Root currentRoot(TufPorts repos) {
    return latest(repos, ROOT, Root.class).signed();
  }

  private static <T extends Signed> Metadata<T> latest(TufPorts repos, String role, Class<T> type) {
    long version =
        repos
            .tuf()
            .latestVersion(role)
            .orElseThrow(() -> new IllegalStateException("no " + role + " metadata"));
    return Metadata.parse(repos.tuf().find(role, version).orElseThrow(), type);
  }

  private static <T extends Signed> Metadata<T> parse(byte[] bytes, Class<T> type) {
    try {
      return Metadata.parse(bytes, type);
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
    }
  }

  /** The target path of an artifact: {@code <product>/<version>/<name>}. */
  public static String targetPath(ProductName product, String version, String name) {
    return product.value() + "/" + version + "/" + name;
  }
}
