package dev.sluice.core.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.TargetFile;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Publishes changes of a product's targets: online, as new versions of the bins they touch (see
 * {@link ProductRoles}) with the snapshot and timestamp above them; offline, folded into the role's
 * pending metadata, which waits for its key holder. A product's key is only ever trusted for that
 * product's paths.
 */
public final class ProductTargets {
  private final Clock clock;
  private final MetadataWriter writer;
  private final ProductRoles roles;
  private final PendingTargets pendingTargets;

  ProductTargets(
      Clock clock, MetadataWriter writer, ProductRoles roles, PendingTargets pendingTargets) {
    this.clock = clock;
    this.writer = writer;
    this.roles = roles;
    this.pendingTargets = pendingTargets;
  }

  /**
   * Changes the product's delegated targets. Signed online: writes new versions of the bins the
   * change touches (the whole layout the first time, or when moving from a flat role), top-level
   * targets if its delegation changes, snapshot and timestamp. Signed offline (a key registered
   * with {@link OfflineProductRoles#setOfflineKey}): folds the change into the role's pending
   * metadata, which waits for the key holder's signature; nothing is served yet.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (NOT_READY) if there is no root yet
   * @throws IllegalArgumentException if a path is not the product's
   */
  public ProductUpdate update(TufPorts repos, ProductName product, TargetChanges changes) {
    TufMetadata.requireRoot(repos);
    String role = TufRoles.roleName(product);
    ProductRoles.requireOwnPaths(role, changes.paths());
    repos.tuf().lock();
    Instant now = clock.instant();
    Optional<VerificationKey> offline = repos.offlineRoles().key(role);
    if (offline.isPresent()) {
      Optional<PendingMetadata> pending = repos.offlineRoles().pending(role);
      Map<String, TargetFile> files =
          new TreeMap<>(
              pending.isPresent()
                  ? pending.get().metadata().signed().targets()
                  : roles.currentFiles(repos, role));
      changes.applyTo(files);
      long version = repos.tuf().latestVersion(role).orElse(0) + 1;
      PendingMetadata next = pendingTargets.create(role, version, files, now);
      repos.offlineRoles().putPending(next);
      return new ProductUpdate.Awaiting(next, offline.get().keyId());
    }
    MetadataWriter.Batch batch = writer.begin(repos, now);
    long version = roles.applyOnline(repos, batch, product, changes);
    if (!batch.isEmpty()) {
      batch.snapshotAndTimestamp(TufMetadata.root(repos));
    }
    return new ProductUpdate.Written(version);
  }
}
