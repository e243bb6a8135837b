package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.TufStorage;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
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

  public TufRepository(OnlineKeys keys, Clock clock, RepositoryBuilder.Expiry expiry) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.builder = new RepositoryBuilder(clock, expiry);
  }

  /** The public keys root must list for targets, snapshot and timestamp. */
  public Map<RoleType, VerificationKey> onlineKeys() {
    Map<RoleType, VerificationKey> out = new LinkedHashMap<>();
    for (RoleType type : List.of(RoleType.TARGETS, RoleType.SNAPSHOT, RoleType.TIMESTAMP)) {
      out.put(type, keys.role(type).verificationKey());
    }
    return out;
  }

  public boolean hasRoot(Repositories repos) {
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
  public Root installRoot(Repositories repos, byte[] bytes) {
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
   * Changes the product's delegated targets and writes new versions of the product's role,
   * top-level targets (which delegates to it), snapshot and timestamp.
   *
   * @param change edits the product's targets, keyed by target path
   * @throws SluiceException.Conflict (NOT_READY) if there is no root yet
   */
  public void updateProductTargets(
      Repositories repos, ProductName product, Consumer<Map<String, TargetFile>> change) {
    requireRoot(repos);
    repos.tuf().lock();
    String role = roleName(product);
    Root root = currentRoot(repos);
    TufStorage tuf = repos.tuf();
    Targets top = latest(repos, TARGETS, Targets.class).signed();
    List<Delegation> delegations = delegations(top);
    if (delegations.stream().noneMatch(d -> d.name().equals(role))) {
      delegations.add(
          new Delegation(
              role,
              new RoleKeySet(List.of(keys.product(product).verificationKey()), 1),
              TargetPaths.patterns(role + "/*/*"),
              true));
    }
    Map<String, TargetFile> files = new TreeMap<>();
    OptionalLong productVersion = tuf.latestVersion(role);
    if (productVersion.isPresent()) {
      files.putAll(latest(repos, role, Targets.class).signed().targets());
    }
    change.accept(files);
    for (String path : files.keySet()) {
      if (!path.startsWith(role + "/")) {
        throw new IllegalArgumentException(path + " is not a target path of product " + role);
      }
    }
    Instant now = clock.instant();
    Targets newTop = builder.targets(top.version() + 1, top.targets(), delegations);
    Metadata<Targets> topMd =
        RepositoryBuilder.sign(newTop, TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
    Targets productTargets = builder.targets(productVersion.orElse(0) + 1, files, List.of());
    Metadata<Targets> productMd =
        RepositoryBuilder.sign(productTargets, role, newTop, List.of(keys.product(product)));
    tuf.insert(TARGETS, newTop.version(), topMd.toBytes(), now);
    tuf.insert(role, productTargets.version(), productMd.toBytes(), now);
    snapshotAndTimestamp(repos, root, topMd, now);
  }

  /**
   * Re-signs online metadata before it expires: every targets role (top-level or a product's),
   * snapshot and timestamp with less than half of its lifetime left gets a new version, and so do
   * the snapshot and timestamp above it. Root is offline and is not touched.
   *
   * @return whether anything was signed
   */
  public boolean refreshExpiring(Repositories repos) {
    if (!hasRoot(repos)) {
      return false;
    }
    repos.tuf().lock();
    Instant now = clock.instant();
    Root root = currentRoot(repos);
    Metadata<Targets> top = latest(repos, TARGETS, Targets.class);
    boolean changed = false;
    for (DelegatedRole d : top.signed().delegations().map(Delegations::roles).orElse(List.of())) {
      if (repos.tuf().latestVersion(d.name()).isEmpty()) {
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

  private static boolean due(Signed signed, Duration lifetime, Instant now) {
    return Duration.between(now, signed.expires()).compareTo(lifetime.dividedBy(2)) < 0;
  }

  /**
   * A metadata file as served at {@code /tuf/<fileName>}: {@code timestamp.json} or {@code
   * N.<role>.json}.
   */
  public Optional<byte[]> metadataFile(Repositories repos, String fileName) {
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
      Repositories repos, String product, String version, Sha256 sha256, String name) {
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
  public TufStatus status(Repositories repos) {
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
    top.delegations()
        .map(Delegations::roles)
        .orElse(List.of())
        .forEach(
            d ->
                roles.add(
                    new TufStatus.RoleStatus(
                        d.name(),
                        repos.tuf().latestVersion(d.name()).orElse(0),
                        latestExpiry(repos, d.name()),
                        d.keys().keyIds(),
                        d.keys().threshold())));
    return new TufStatus(roles);
  }

  private Instant latestExpiry(Repositories repos, String role) {
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
        keys.threshold());
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
  public void requireRoot(Repositories repos) {
    if (!hasRoot(repos)) {
      throw new Conflict(
          ConflictKind.NOT_READY, "the TUF repository has no root yet: run sluice tuf root init");
    }
  }

  private void snapshotAndTimestamp(
      Repositories repos, Root root, Metadata<Targets> top, Instant now) {
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

  private void writeTimestamp(
      Repositories repos, Root root, Metadata<Snapshot> snapshot, Instant now) {
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

  private Root currentRoot(Repositories repos) {
    return latest(repos, ROOT, Root.class).signed();
  }

  private static <T extends Signed> Metadata<T> latest(
      Repositories repos, String role, Class<T> type) {
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
