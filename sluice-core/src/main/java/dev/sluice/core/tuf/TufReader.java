package dev.sluice.core.tuf;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves the repository's metadata files and targets, and reports the state of every role. */
public final class TufReader {
  private static final Pattern VERSIONED =
      Pattern.compile("([1-9][0-9]{0,17})\\.([a-z0-9-]+(?:\\.bin-[0-9a-f]{2})?)\\.json");

  TufReader() {}

  /**
   * A metadata file as served at {@code /tuf/<fileName>}: {@code timestamp.json} or {@code
   * N.<role>.json}.
   */
  public Optional<byte[]> metadataFile(TufPorts repos, String fileName) {
    if (fileName.equals(TufLayout.TIMESTAMP_JSON)) {
      OptionalLong version = repos.tuf().latestVersion(TufRoles.TIMESTAMP);
      return version.isEmpty()
          ? Optional.empty()
          : repos.tuf().find(TufRoles.TIMESTAMP, version.getAsLong());
    }
    Matcher m = VERSIONED.matcher(fileName);
    if (!m.matches() || m.group(2).equals(TufRoles.TIMESTAMP)) {
      return Optional.empty();
    }
    return repos.tuf().find(m.group(2), Long.parseLong(m.group(1)));
  }

  /**
   * The product's current target at {@code <product>/<version>/<name>} if its SHA-256 is {@code
   * sha256}, listed by the product's role or by the bin it delegates the path to: what {@code
   * /tuf/targets/<product>/<version>/<sha256>.<name>} serves.
   */
  public Optional<TargetFile> currentTarget(
      TufPorts repos, String product, String version, Sha256 sha256, String name) {
    if (TufRoles.TOP_LEVEL.contains(product) || ProductBins.isBin(product)) {
      return Optional.empty();
    }
    Optional<Metadata<Targets>> role = TufMetadata.find(repos, product, Targets.class);
    if (role.isEmpty()) {
      return Optional.empty();
    }
    String path = product + "/" + version + "/" + name;
    Targets targets = role.get().signed();
    TargetFile file = targets.targets().get(path);
    String bin = ProductBins.binOf(product, path);
    if (file == null && targets.delegations().flatMap(d -> d.role(bin)).isPresent()) {
      file = TufMetadata.targetsOf(repos, bin).get(path);
    }
    return Optional.ofNullable(file).filter(f -> f.sha256().equals(sha256));
  }

  /** Versions, expiries, key ids and thresholds of every role (bins are not listed). */
  public TufStatus status(TufPorts repos) {
    TufMetadata.requireRoot(repos);
    Root root = TufMetadata.root(repos);
    List<TufStatus.RoleStatus> roles = new ArrayList<>();
    roles.add(status(root, root.role(RoleType.ROOT)));
    Targets top = TufMetadata.latest(repos, TufRoles.TARGETS, Targets.class).signed();
    roles.add(status(top, root.role(RoleType.TARGETS)));
    roles.add(
        status(
            TufMetadata.latest(repos, TufRoles.SNAPSHOT, Snapshot.class).signed(),
            root.role(RoleType.SNAPSHOT)));
    roles.add(
        status(
            TufMetadata.latest(repos, TufRoles.TIMESTAMP, Timestamp.class).signed(),
            root.role(RoleType.TIMESTAMP)));
    for (DelegatedRole d : top.delegations().map(Delegations::roles).orElse(List.of())) {
      Optional<VerificationKey> offline = repos.offlineRoles().key(d.name());
      Optional<PendingMetadata> pending = repos.offlineRoles().pending(d.name());
      Optional<Metadata<Targets>> current = TufMetadata.find(repos, d.name(), Targets.class);
      roles.add(
          new TufStatus.RoleStatus(
              d.name(),
              current.map(md -> md.signed().version()).orElse(0L),
              current.map(md -> md.signed().expires()).orElse(Instant.EPOCH),
              d.keys().keyIds(),
              d.keys().threshold(),
              offline.isPresent() && d.keys().keyIds().equals(List.of(offline.get().keyId())),
              pending.isPresent()
                  ? OptionalLong.of(pending.get().version())
                  : OptionalLong.empty()));
    }
    return new TufStatus(roles);
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
}
