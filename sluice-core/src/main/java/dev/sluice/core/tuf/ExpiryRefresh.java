package dev.sluice.core.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Re-signs online metadata before it expires, so devices never see expired metadata while the
 * server runs; and moves flat product roles signed online (written before bins) into bins.
 */
public final class ExpiryRefresh {
  private final OnlineKeys keys;
  private final Clock clock;
  private final RepositoryBuilder.Expiry expiry;
  private final MetadataWriter writer;
  private final ProductRoles roles;
  private final PendingTargets pendingTargets;

  ExpiryRefresh(
      OnlineKeys keys,
      Clock clock,
      RepositoryBuilder.Expiry expiry,
      MetadataWriter writer,
      ProductRoles roles,
      PendingTargets pendingTargets) {
    this.keys = keys;
    this.clock = clock;
    this.expiry = expiry;
    this.writer = writer;
    this.roles = roles;
    this.pendingTargets = pendingTargets;
  }

  /**
   * Every targets role (top-level, a product's or a bin) signed online, snapshot and timestamp with
   * less than half of its lifetime left gets a new version, and so do the snapshot and timestamp
   * above it. A product role signed online that still lists its targets itself is moved into bins.
   * Root and the roles signed offline are not touched; their pending (unsigned) metadata is renewed
   * past half its lifetime.
   *
   * @return whether anything was signed
   */
  public boolean refreshExpiring(TufPorts repos) {
    if (!TufMetadata.hasRoot(repos)) {
      return false;
    }
    repos.tuf().lock();
    Instant now = clock.instant();
    Root root = TufMetadata.root(repos);
    pendingTargets.renewDue(repos, now);
    MetadataWriter.Batch batch = writer.begin(repos, now);
    Targets top = TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed();
    for (DelegatedRole d : top.delegations().map(Delegations::roles).orElse(List.of())) {
      // An offline role (or one moving to an offline key) cannot be re-signed here; sluice tuf
      // status warns before it expires.
      if (repos.tuf().latestVersion(d.name()).isEmpty()
          || repos.offlineRoles().key(d.name()).isPresent()) {
        continue;
      }
      refreshProduct(repos, batch, new ProductName(d.name()), top, now);
    }
    Targets currentTop = TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed();
    if (due(currentTop, expiry.targets(), now)) {
      Targets next =
          writer
              .builder()
              .targets(
                  currentTop.version() + 1,
                  currentTop.targets(),
                  MetadataWriter.delegationsOf(currentTop));
      batch.targets(TufRoles.TARGETS, writer.signTop(next, root));
    }
    Snapshot snapshot = TufMetadata.latest(repos, TufRoles.SNAPSHOT, Snapshot.class).signed();
    if (!batch.isEmpty() || due(snapshot, expiry.snapshot(), now)) {
      batch.snapshotAndTimestamp(root);
      return true;
    }
    if (due(
        TufMetadata.latest(repos, TufRoles.TIMESTAMP, Timestamp.class).signed(),
        expiry.timestamp(),
        now)) {
      batch.timestamp(root, TufMetadata.latest(repos, TufRoles.SNAPSHOT, Snapshot.class));
      return true;
    }
    return false;
  }

  private void refreshProduct(
      TufPorts repos, MetadataWriter.Batch batch, ProductName product, Targets top, Instant now) {
    String role = product.value();
    Targets current = TufMetadata.latest(repos, role, Targets.class).signed();
    if (!ProductRoles.binned(current) && !current.targets().isEmpty()) {
      // Written before bins: move its targets into bins, with a new version of the role.
      roles.writeOnline(repos, batch, product, current.targets());
      return;
    }
    SigningKey key = null;
    Targets signer = current;
    if (due(current, expiry.targets(), now)) {
      key = keys.product(product);
      // A role using bins keeps its delegations even when they list no bin yet.
      signer =
          withDelegations(
              writer.builder().targets(current.version() + 1, current.targets(), List.of()),
              current);
      batch.targets(role, RepositoryBuilder.sign(signer, role, top, List.of(key)));
    }
    for (DelegatedRole bin : ProductRoles.bins(current)) {
      Targets binTargets = TufMetadata.latest(repos, bin.name(), Targets.class).signed();
      if (due(binTargets, expiry.targets(), now)) {
        key = key != null ? key : keys.product(product);
        Targets next =
            writer.builder().targets(binTargets.version() + 1, binTargets.targets(), List.of());
        batch.targets(bin.name(), RepositoryBuilder.sign(next, bin.name(), signer, List.of(key)));
      }
    }
  }

  /** {@code next} with the delegations of {@code current} kept even when they list no role. */
  private static Targets withDelegations(Targets next, Targets current) {
    return new Targets(
        next.specVersion(), next.version(), next.expires(), next.targets(), current.delegations());
  }

  static boolean due(Signed signed, Duration lifetime, Instant now) {
    return Duration.between(now, signed.expires()).compareTo(lifetime.dividedBy(2)) < 0;
  }
}
