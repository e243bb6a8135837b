package dev.sluice.core.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layout of a product's delegated targets. Top-level targets delegates {@code <product>/*}
 * {@code /*} to the product's role. Signed online, that role lists no targets itself: it delegates
 * them, by hash prefix, to the {@link ProductBins} that hold any, all signed by the product's
 * online key. Signed offline, the role lists its targets itself (flat), so the offline key keeps
 * signing every target. A flat role signed online (as Sluice wrote them before bins) is moved into
 * bins the next time it is written or refreshed.
 */
final class ProductRoles {
  private final OnlineKeys keys;
  private final MetadataWriter writer;

  ProductRoles(OnlineKeys keys, MetadataWriter writer) {
    this.keys = keys;
    this.writer = writer;
  }

  /** Whether the product's role delegates to bins rather than listing its targets. */
  static boolean binned(Targets productRole) {
    return productRole.delegations().isPresent();
  }

  /** The bins a product's role delegates to. */
  static List<DelegatedRole> bins(Targets productRole) {
    return productRole.delegations().map(Delegations::roles).orElse(List.of());
  }

  /** Every target the product's role lists now, through its bins if it has them. */
  Map<String, TargetFile> currentFiles(TufPorts repos, String role) {
    Optional<Metadata<Targets>> current = TufMetadata.find(repos, role, Targets.class);
    if (current.isEmpty()) {
      return Map.of();
    }
    Map<String, TargetFile> files = new TreeMap<>(current.get().signed().targets());
    for (DelegatedRole bin : bins(current.get().signed())) {
      files.putAll(TufMetadata.targetsOf(repos, bin.name()));
    }
    return files;
  }

  /**
   * Applies a change to a product signed online. When its role already delegates to bins under the
   * product's online key only the bins the change touches get new versions (and the role itself
   * when a bin gets its first targets); otherwise the whole layout is written anew.
   *
   * @return the product role's version after the change
   */
  long applyOnline(
      TufPorts repos, MetadataWriter.Batch batch, ProductName product, TargetChanges changes) {
    String role = product.value();
    SigningKey key = keys.product(product);
    Optional<Metadata<Targets>> current = TufMetadata.find(repos, role, Targets.class);
    if (current.isEmpty()
        || !binned(current.get().signed())
        || !signedOnlyBy(current.get().signed(), key.verificationKey())
        || !topDelegates(repos, role, key.verificationKey())) {
      Map<String, TargetFile> files = new TreeMap<>(currentFiles(repos, role));
      changes.applyTo(files);
      return writeOnline(repos, batch, product, files);
    }
    Targets productRole = current.get().signed();
    Delegations delegated = productRole.delegations().orElseThrow();
    Map<String, Map<String, TargetFile>> changed = new TreeMap<>();
    for (String path : changes.paths()) {
      String bin = ProductBins.binOf(role, path);
      if (changed.containsKey(bin)) {
        continue;
      }
      Map<String, TargetFile> before =
          delegated.role(bin).isPresent() ? TufMetadata.targetsOf(repos, bin) : Map.of();
      Map<String, TargetFile> after = new TreeMap<>(before);
      changes.applyTo(after);
      // The change holds every bin's paths: keep this bin's only.
      after.keySet().removeIf(p -> !ProductBins.binOf(role, p).equals(bin));
      if (!after.equals(before)) {
        changed.put(bin, after);
      }
    }
    List<String> added =
        changed.keySet().stream().filter(bin -> delegated.role(bin).isEmpty()).toList();
    Targets signer = productRole;
    if (!added.isEmpty()) {
      List<Delegation> delegations = MetadataWriter.delegationsOf(productRole);
      added.forEach(bin -> delegations.add(binDelegation(bin, key.verificationKey())));
      delegations.sort(Comparator.comparing(Delegation::name));
      signer = productRoleTargets(productRole.version() + 1, delegations);
      Targets top = TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed();
      batch.targets(role, RepositoryBuilder.sign(signer, role, top, List.of(key)));
    }
    for (Map.Entry<String, Map<String, TargetFile>> bin : changed.entrySet()) {
      writeBin(repos, batch, bin.getKey(), bin.getValue(), signer, key);
    }
    return signer.version();
  }

  /**
   * Writes the product's whole layout signed online: a new version of every bin that holds any of
   * {@code files}, then of the product's role delegating to those bins, and top-level targets if
   * its delegation to the product is not already to the product's online key.
   *
   * @return the product role's new version
   */
  long writeOnline(
      TufPorts repos,
      MetadataWriter.Batch batch,
      ProductName product,
      Map<String, TargetFile> files) {
    String role = product.value();
    SigningKey key = keys.product(product);
    Root root = TufMetadata.root(repos);
    Targets top = delegateTop(repos, batch, root, role, key.verificationKey());
    Map<String, Map<String, TargetFile>> byBin = new TreeMap<>();
    files.forEach(
        (path, file) ->
            byBin
                .computeIfAbsent(ProductBins.binOf(role, path), b -> new TreeMap<>())
                .put(path, file));
    List<Delegation> delegations =
        byBin.keySet().stream().map(bin -> binDelegation(bin, key.verificationKey())).toList();
    long version = repos.tuf().latestVersion(role).orElse(0) + 1;
    Targets productRole = productRoleTargets(version, delegations);
    byBin.forEach((bin, binFiles) -> writeBin(repos, batch, bin, binFiles, productRole, key));
    batch.targets(role, RepositoryBuilder.sign(productRole, role, top, List.of(key)));
    return version;
  }

  /**
   * Makes top-level targets delegate the product's paths to {@code key} alone, writing its next
   * version only if it does not already.
   *
   * @return top-level targets as they are now
   */
  Targets delegateTop(
      TufPorts repos, MetadataWriter.Batch batch, Root root, String role, VerificationKey key) {
    Targets top = TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed();
    if (topDelegates(top, role, key)) {
      return top;
    }
    List<Delegation> delegations = MetadataWriter.delegationsOf(top);
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
    Targets next = writer.builder().targets(top.version() + 1, top.targets(), delegations);
    batch.targets(TufRoles.TARGETS, writer.signTop(next, root));
    return next;
  }

  /**
   * A product role signed online: no targets of its own, and delegations (possibly none yet, which
   * is what marks it as using bins).
   */
  private Targets productRoleTargets(long version, List<Delegation> delegations) {
    return new Targets(
        Signed.SPEC_VERSION,
        version,
        writer.builder().expires(RoleType.TARGETS),
        Map.of(),
        Optional.of(delegationsJson(delegations)));
  }

  private void writeBin(
      TufPorts repos,
      MetadataWriter.Batch batch,
      String bin,
      Map<String, TargetFile> files,
      Targets productRole,
      SigningKey key) {
    long version = repos.tuf().latestVersion(bin).orElse(0) + 1;
    Targets targets = writer.builder().targets(version, files, List.of());
    batch.targets(bin, RepositoryBuilder.sign(targets, bin, productRole, List.of(key)));
  }

  private static boolean topDelegates(TufPorts repos, String role, VerificationKey key) {
    return topDelegates(
        TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed(), role, key);
  }

  private static boolean topDelegates(Targets top, String role, VerificationKey key) {
    return top.delegations()
        .flatMap(d -> d.role(role))
        .filter(d -> d.keys().threshold() == 1)
        .filter(d -> d.keys().keyIds().equals(List.of(key.keyId())))
        .filter(d -> d.paths().equals(TargetPaths.patterns(role + "/*/*")))
        .filter(DelegatedRole::terminating)
        .isPresent();
  }

  private static boolean signedOnlyBy(Targets productRole, VerificationKey key) {
    return bins(productRole).isEmpty()
        || productRole.delegations().orElseThrow().keys().keySet().equals(Set.of(key.keyId()));
  }

  private static Delegation binDelegation(String bin, VerificationKey key) {
    return new Delegation(bin, new RoleKeySet(List.of(key), 1), ProductBins.paths(bin), true);
  }

  private static Delegations delegationsJson(List<Delegation> delegations) {
    Map<String, VerificationKey> keys = new TreeMap<>();
    List<DelegatedRole> roles = new ArrayList<>();
    for (Delegation d : delegations) {
      d.keys().keys().forEach(k -> keys.put(k.keyId(), k));
      roles.add(
          new DelegatedRole(
              d.name(),
              new RoleKeys(
                  d.keys().keys().stream().map(VerificationKey::keyId).toList(),
                  d.keys().threshold()),
              d.paths(),
              d.terminating()));
    }
    return new Delegations(keys, roles);
  }

  /**
   * @throws IllegalArgumentException if a path is not under the product's role
   */
  static void requireOwnPaths(String role, Iterable<String> paths) {
    for (String path : paths) {
      if (!path.startsWith(role + "/")) {
        throw new IllegalArgumentException(path + " is not a target path of product " + role);
      }
    }
  }
}
