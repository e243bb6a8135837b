package dev.sluice.core.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.RoleType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's TUF repository (TUF 1.0.x, consistent snapshots): an offline, M-of-N root uploaded
 * by its key holders; targets, snapshot and timestamp signed with the server's online keys; and one
 * delegated targets role per product, trusted only for {@code <product>/*}{@code /*} (target paths
 * are {@code <product>/<version>/<artifact>}), so a product's key cannot speak for another product.
 * Signed online, a product's role delegates its targets to {@link ProductBins hashed bins}; signed
 * offline, it lists them itself. Every change writes new versions of the metadata through {@link
 * TufStorage}, inside the caller's transaction; nothing is ever overwritten.
 *
 * <p>This class assembles the repository's jobs, each its own class: {@link #roots()}, {@link
 * #targets()}, {@link #offline()}, {@link #expiry()} and {@link #reader()}.
 */
public final class TufRepository {
  /** How long a product role signed offline stays valid unless configured: a year. */
  public static final Duration DEFAULT_OFFLINE_TARGETS_EXPIRY = Duration.ofDays(365);

  private final OnlineKeys keys;
  private final RootInstallation roots;
  private final ProductTargets targets;
  private final OfflineProductRoles offline;
  private final ExpiryRefresh expiry;
  private final TufReader reader;

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
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(offlineTargetsExpiry, "offlineTargetsExpiry");
    MetadataWriter writer = new MetadataWriter(keys, new RepositoryBuilder(clock, expiry));
    ProductRoles productRoles = new ProductRoles(keys, writer);
    PendingTargets pending = new PendingTargets(clock, expiry, offlineTargetsExpiry);
    this.roots = new RootInstallation(keys, clock, writer);
    this.targets = new ProductTargets(clock, writer, productRoles, pending);
    this.offline = new OfflineProductRoles(clock, writer, productRoles, pending);
    this.expiry = new ExpiryRefresh(keys, clock, expiry, writer, productRoles, pending);
    this.reader = new TufReader();
  }

  /** Root installation and rotation. */
  public RootInstallation roots() {
    return roots;
  }

  /** Publishing a product's targets. */
  public ProductTargets targets() {
    return targets;
  }

  /** Product roles signed offline: keys, pending metadata, signatures. */
  public OfflineProductRoles offline() {
    return offline;
  }

  /** Re-signing metadata before it expires. */
  public ExpiryRefresh expiry() {
    return expiry;
  }

  /** Metadata files, targets and status, as served. */
  public TufReader reader() {
    return reader;
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
    return TufMetadata.hasRoot(repos);
  }

  /**
   * @throws dev.sluice.core.SluiceException.Conflict (NOT_READY) unless a root is installed
   */
  public void requireRoot(TufPorts repos) {
    TufMetadata.requireRoot(repos);
  }
}
