package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.SignatureTally;
import dev.sluice.trust.tuf.TufVerifier;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Targets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Installs root metadata signed offline by its M-of-N key holders: the first root, and rotations
 * signed by the current root's threshold too (TUF 1.0 §5.3.4). The server never holds a root key,
 * so a root it accepts is one its holders signed.
 */
public final class RootInstallation {
  private final OnlineKeys keys;
  private final Clock clock;
  private final MetadataWriter writer;

  RootInstallation(OnlineKeys keys, Clock clock, MetadataWriter writer) {
    this.keys = keys;
    this.clock = clock;
    this.writer = writer;
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
   * Installs root metadata signed offline: version 1 (then targets, snapshot and timestamp version
   * 1 are written) or the current version plus one (a rotation, also signed by a threshold of the
   * current root's keys). The root must list exactly this server's online key, threshold 1, for
   * targets, snapshot and timestamp, use consistent snapshots, and not be expired.
   *
   * @return the installed root
   * @throws SluiceException.InvalidInput if the root is malformed or any check fails
   */
  public Root install(TufPorts repos, byte[] bytes) {
    Metadata<Root> metadata = parse(bytes);
    Root root = metadata.signed();
    repos.tuf().lock();
    OptionalLong current = repos.tuf().latestVersion(TufRoles.ROOT);
    long expected = current.orElse(0) + 1;
    if (root.version() != expected) {
      throw new SluiceException.InvalidInput(
          "the root must be version " + expected + ", got " + root.version());
    }
    if (!root.consistentSnapshot()) {
      throw new SluiceException.InvalidInput("the root must set consistent_snapshot to true");
    }
    try {
      TufVerifier.verifyNotExpired(TufRoles.ROOT, root, clock.instant());
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput("root refused: " + e.getMessage(), List.of(), e);
    }
    requireSignatures(repos, metadata, current);
    requireOnlineKeys(root);
    MetadataWriter.Batch batch = writer.begin(repos, clock.instant());
    repos.tuf().insert(TufRoles.ROOT, root.version(), metadata.toBytes(), batch.now());
    if (current.isEmpty()) {
      Targets targets = writer.builder().targets(1, Map.of(), List.of());
      batch.targets(TufRoles.TARGETS, writer.signTop(targets, root));
      batch.snapshotAndTimestamp(root);
    }
    return root;
  }

  // TUF 1.0 §5.3.4: a new root is signed by a threshold of its own keys, and of the trusted root's
  // keys when it rotates.
  private static void requireSignatures(
      TufPorts repos, Metadata<Root> metadata, OptionalLong current) {
    List<String> shortfalls = new ArrayList<>();
    SignatureTally own = SignatureTally.of(metadata, TufRoles.ROOT, metadata.signed());
    if (!own.met()) {
      shortfalls.add("the new root's keys: " + own.describe());
    }
    if (current.isPresent()) {
      SignatureTally old = SignatureTally.of(metadata, TufRoles.ROOT, TufMetadata.root(repos));
      if (!old.met()) {
        shortfalls.add(
            "the current root's (version " + current.getAsLong() + ") keys: " + old.describe());
      }
    }
    if (!shortfalls.isEmpty()) {
      throw new SluiceException.InvalidInput(
          "root refused: signature threshold not met by " + String.join("; and by ", shortfalls));
    }
  }

  private void requireOnlineKeys(Root root) {
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
  }

  private static Metadata<Root> parse(byte[] bytes) {
    try {
      return Metadata.parse(bytes, Root.class);
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
    }
  }
}
