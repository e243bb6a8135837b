package dev.sluice.core.tuf;

import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes new versions of metadata, signed by the online keys: targets roles, then the snapshot that
 * lists them and the timestamp that lists that snapshot. Nothing is ever overwritten.
 */
final class MetadataWriter {
  private final OnlineKeys keys;
  private final RepositoryBuilder builder;

  MetadataWriter(OnlineKeys keys, RepositoryBuilder builder) {
    this.keys = keys;
    this.builder = builder;
  }

  RepositoryBuilder builder() {
    return builder;
  }

  /** Starts one change of the repository, inside the caller's transaction. */
  Batch begin(TufPorts repos, Instant now) {
    return new Batch(repos, now);
  }

  /** Top-level targets signed by the online targets key. */
  Metadata<Targets> signTop(Targets top, Root root) {
    return RepositoryBuilder.sign(
        top, TufRoles.TARGETS, root, List.of(keys.role(RoleType.TARGETS)));
  }

  /** The delegations of targets metadata in the form {@link RepositoryBuilder} takes. */
  static List<Delegation> delegationsOf(Targets targets) {
    List<Delegation> out = new ArrayList<>();
    targets
        .delegations()
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

  /** New versions of targets roles, and the snapshot and timestamp that publish them. */
  final class Batch {
    private final TufPorts repos;
    private final Instant now;
    private final Map<String, MetaFile> written = new TreeMap<>();

    private Batch(TufPorts repos, Instant now) {
      this.repos = repos;
      this.now = now;
    }

    Instant now() {
      return now;
    }

    /** Stores a new version of a targets role (top-level or delegated). */
    void targets(String role, Metadata<Targets> metadata) {
      byte[] bytes = metadata.toBytes();
      long version = metadata.signed().version();
      repos.tuf().insert(role, version, bytes, now);
      // Bins are listed by version alone (TUF 1.0 §4.4 makes length and hashes optional): 256 of
      // them would otherwise triple the snapshot every device downloads after a publication.
      // They are signed by the product's online key, which the server holds next to the
      // snapshot key, so hashes would not add a key an attacker had to steal.
      written.put(
          role.equals(TufRoles.TARGETS) ? Snapshot.TARGETS_JSON : role + ".json",
          ProductBins.isBin(role) ? MetaFile.ofVersion(version) : MetaFile.of(version, bytes));
    }

    boolean isEmpty() {
      return written.isEmpty();
    }

    /**
     * Writes the next snapshot, listing what the previous one listed with this batch's roles at
     * their new versions (a role never leaves the snapshot: clients refuse one that disappears, TUF
     * 1.0 §5.5.5), and the timestamp above it.
     */
    void snapshotAndTimestamp(Root root) {
      Map<String, MetaFile> meta = new TreeMap<>();
      TufMetadata.find(repos, TufRoles.SNAPSHOT, Snapshot.class)
          .ifPresent(previous -> meta.putAll(previous.signed().meta()));
      meta.putAll(written);
      long version = repos.tuf().latestVersion(TufRoles.SNAPSHOT).orElse(0) + 1;
      Snapshot snapshot =
          new Snapshot(Signed.SPEC_VERSION, version, builder.expires(RoleType.SNAPSHOT), meta);
      Metadata<Snapshot> md =
          RepositoryBuilder.sign(
              snapshot, TufRoles.SNAPSHOT, root, List.of(keys.role(RoleType.SNAPSHOT)));
      repos.tuf().insert(TufRoles.SNAPSHOT, version, md.toBytes(), now);
      timestamp(root, md);
      written.clear();
    }

    /** Writes the next timestamp, listing {@code snapshot}. */
    void timestamp(Root root, Metadata<Snapshot> snapshot) {
      long version = repos.tuf().latestVersion(TufRoles.TIMESTAMP).orElse(0) + 1;
      Timestamp timestamp = builder.timestamp(version, snapshot);
      Metadata<Timestamp> md =
          RepositoryBuilder.sign(
              timestamp, TufRoles.TIMESTAMP, root, List.of(keys.role(RoleType.TIMESTAMP)));
      repos.tuf().insert(TufRoles.TIMESTAMP, version, md.toBytes(), now);
    }
  }
}
