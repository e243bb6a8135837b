package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.TufVerifier;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Moves a product's role between the server's online key and a key its holder keeps offline. A role
 * signed offline lists its targets itself, so that key signs every target: the server cannot add
 * one, and its changes wait as pending metadata until the holder signs them.
 */
public final class OfflineProductRoles {
  private final Clock clock;
  private final MetadataWriter writer;
  private final ProductRoles roles;
  private final PendingTargets pendingTargets;

  OfflineProductRoles(
      Clock clock, MetadataWriter writer, ProductRoles roles, PendingTargets pendingTargets) {
    this.clock = clock;
    this.writer = writer;
    this.roles = roles;
    this.pendingTargets = pendingTargets;
  }

  /**
   * Registers an offline key for the product's role. If the role already has metadata its next
   * version, with the same targets (listed by the role itself, not by bins) and a fresh expiry,
   * waits for the key's signature; the delegation in top-level targets moves to the key only when
   * that signature arrives, so devices keep verifying the current metadata meanwhile. Registering
   * the same key again is how an operator asks its holder to re-sign metadata that will soon
   * expire.
   *
   * @return the role's pending metadata, if any
   */
  public Optional<PendingMetadata> setOfflineKey(
      TufPorts repos, ProductName product, VerificationKey key) {
    repos.tuf().lock();
    String role = TufRoles.roleName(product);
    Instant now = clock.instant();
    repos.offlineRoles().putKey(role, key, now);
    Optional<PendingMetadata> pending = repos.offlineRoles().pending(role);
    OptionalLong version = repos.tuf().latestVersion(role);
    if (pending.isPresent() || version.isEmpty()) {
      return pending;
    }
    PendingMetadata next =
        pendingTargets.create(role, version.getAsLong() + 1, roles.currentFiles(repos, role), now);
    repos.offlineRoles().putPending(next);
    return Optional.of(next);
  }

  /**
   * Signs the product's role online again: forgets its offline key and, if the role has metadata or
   * pending metadata, writes its next version (the pending targets, if any) in bins signed by the
   * server's key for the product, with the delegation moved to that key.
   *
   * @return whether pending metadata was published this way (its publications are then done)
   */
  public boolean setOnline(TufPorts repos, ProductName product) {
    repos.tuf().lock();
    String role = TufRoles.roleName(product);
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
            : roles.currentFiles(repos, role);
    MetadataWriter.Batch batch = writer.begin(repos, clock.instant());
    roles.writeOnline(repos, batch, product, files);
    batch.snapshotAndTimestamp(TufMetadata.root(repos));
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
    TufMetadata.requireRoot(repos);
    repos.tuf().lock();
    String role = TufRoles.roleName(product);
    Optional<PendingMetadata> found = repos.offlineRoles().pending(role);
    if (found.isEmpty()) {
      Optional<Metadata<Targets>> current = TufMetadata.find(repos, role, Targets.class);
      if (current.isPresent()
          && Sha256.of(current.get().signedBytes()).matches(signedSha256)
          && current.get().signatures().contains(signature)) {
        return current.get().signed().version();
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
    verifySignature(product, key, pending, signature);
    Metadata<Targets> signed = pending.metadata().withSignatures(List.of(signature));
    Root root = TufMetadata.root(repos);
    MetadataWriter.Batch batch = writer.begin(repos, clock.instant());
    Targets top = roles.delegateTop(repos, batch, root, role, key);
    TufVerifier.verifyThreshold(signed, role, top);
    batch.targets(role, signed);
    batch.snapshotAndTimestamp(root);
    repos.offlineRoles().removePending(role);
    return pending.version();
  }

  /** Every role's metadata waiting for an offline signature. */
  public List<PendingMetadata> pending(TufPorts repos) {
    return repos.offlineRoles().allPending();
  }

  /** The product's role's pending metadata, if any. */
  public Optional<PendingMetadata> pending(TufPorts repos, ProductName product) {
    return repos.offlineRoles().pending(TufRoles.roleName(product));
  }

  /** The product's offline key, if its role is signed offline. */
  public Optional<VerificationKey> offlineKey(TufPorts repos, ProductName product) {
    return repos.offlineRoles().key(TufRoles.roleName(product));
  }

  private static void verifySignature(
      ProductName product, VerificationKey key, PendingMetadata pending, Signature signature) {
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
  }
}
