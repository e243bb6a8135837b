package dev.sluice.trust.tuf;

import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.MetaFile;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Produces the metadata of a TUF repository with consistent snapshots (TUF 1.0 §6): root, targets
 * with delegations, snapshot and timestamp, expiring a configured time after the injected clock's
 * now. Signing helpers check that the keys used meet the role's threshold, so a repository never
 * publishes metadata its own clients would refuse. Publish each file as {@link Metadata#toBytes()}
 * under the name {@link TufLayout} gives it: snapshot and timestamp hash exactly those bytes.
 */
public final class RepositoryBuilder {
  /** How long each role's metadata stays valid. */
  public record Expiry(Duration root, Duration targets, Duration snapshot, Duration timestamp) {
    public Expiry {
      for (Duration d : List.of(root, targets, snapshot, timestamp)) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
          throw new IllegalArgumentException("an expiry must be at least one second");
        }
      }
    }

    /** Root a year, targets 90 days, snapshot a week, timestamp a day. */
    public static Expiry defaults() {
      return new Expiry(
          Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));
    }

    Duration of(RoleType type) {
      return switch (type) {
        case ROOT -> root;
        case TARGETS -> targets;
        case SNAPSHOT -> snapshot;
        case TIMESTAMP -> timestamp;
      };
    }
  }

  /** Public keys of a role and its threshold, which the keys can meet. */
  public record RoleKeySet(List<VerificationKey> keys, int threshold) {
    public RoleKeySet {
      keys = List.copyOf(keys);
      if (threshold < 1 || threshold > keys.size()) {
        throw new IllegalArgumentException(
            "threshold " + threshold + " cannot be met by " + keys.size() + " key(s)");
      }
      if (new HashSet<>(keys).size() != keys.size()) {
        throw new IllegalArgumentException("a key is listed twice");
      }
    }

    /** {@code threshold}-of-the-keys of these signing keys' public halves. */
    public static RoleKeySet of(int threshold, List<SigningKey> keys) {
      return new RoleKeySet(keys.stream().map(SigningKey::verificationKey).toList(), threshold);
    }

    RoleKeys roleKeys() {
      return new RoleKeys(keys.stream().map(VerificationKey::keyId).toList(), threshold);
    }
  }

  /** A delegation from a targets role to a named role, for the given paths. */
  public record Delegation(String name, RoleKeySet keys, TargetPaths paths, boolean terminating) {
    public Delegation {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(paths, "paths");
    }
  }

  private final Clock clock;
  private final Expiry expiry;

  public RepositoryBuilder(Clock clock, Expiry expiry) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
  }

  /** When metadata of the role signed now expires: now plus its expiry, whole seconds. */
  public Instant expires(RoleType type) {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(expiry.of(type));
  }

  /** Root metadata with consistent snapshots. */
  public Root root(
      long version,
      RoleKeySet root,
      RoleKeySet targets,
      RoleKeySet snapshot,
      RoleKeySet timestamp) {
    Map<RoleType, RoleKeySet> sets = new EnumMap<>(RoleType.class);
    sets.put(RoleType.ROOT, root);
    sets.put(RoleType.TARGETS, targets);
    sets.put(RoleType.SNAPSHOT, snapshot);
    sets.put(RoleType.TIMESTAMP, timestamp);
    Map<String, VerificationKey> keys = new TreeMap<>();
    Map<RoleType, RoleKeys> roles = new EnumMap<>(RoleType.class);
    sets.forEach(
        (type, set) -> {
          set.keys().forEach(k -> keys.put(k.keyId(), k));
          roles.put(type, set.roleKeys());
        });
    return new Root(Signed.SPEC_VERSION, version, expires(RoleType.ROOT), true, keys, roles);
  }

  /** Targets metadata (top-level or delegated); no delegations if the list is empty. */
  public Targets targets(
      long version, Map<String, TargetFile> targets, List<Delegation> delegations) {
    Optional<Delegations> delegationsJson = Optional.empty();
    if (!delegations.isEmpty()) {
      Map<String, VerificationKey> keys = new TreeMap<>();
      List<DelegatedRole> roles = new ArrayList<>();
      for (Delegation d : delegations) {
        d.keys().keys().forEach(k -> keys.put(k.keyId(), k));
        roles.add(new DelegatedRole(d.name(), d.keys().roleKeys(), d.paths(), d.terminating()));
      }
      delegationsJson = Optional.of(new Delegations(keys, roles));
    }
    return new Targets(
        Signed.SPEC_VERSION, version, expires(RoleType.TARGETS), targets, delegationsJson);
  }

  /**
   * Snapshot metadata listing top-level targets and every delegated role with version, length and
   * SHA-256 of their published bytes.
   */
  public Snapshot snapshot(
      long version, Metadata<Targets> targets, Map<String, Metadata<Targets>> delegated) {
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    meta.put(Snapshot.TARGETS_JSON, metaFile(targets));
    delegated.forEach((role, md) -> meta.put(role + ".json", metaFile(md)));
    return new Snapshot(Signed.SPEC_VERSION, version, expires(RoleType.SNAPSHOT), meta);
  }

  /** Timestamp metadata listing the snapshot's version, length and SHA-256. */
  public Timestamp timestamp(long version, Metadata<Snapshot> snapshot) {
    return new Timestamp(
        Signed.SPEC_VERSION, version, expires(RoleType.TIMESTAMP), metaFile(snapshot));
  }

  private static MetaFile metaFile(Metadata<?> metadata) {
    return MetaFile.of(metadata.signed().version(), metadata.toBytes());
  }

  /**
   * Signs metadata and checks the result meets the role's threshold as the delegator lists it.
   *
   * @throws SignatureThresholdException if the keys do not meet it
   */
  public static <T extends Signed> Metadata<T> sign(
      T signed, String roleName, Delegator delegator, List<SigningKey> keys) {
    Metadata<T> metadata = Metadata.sign(signed, distinct(keys));
    TufVerifier.verifyThreshold(metadata, roleName, delegator);
    return metadata;
  }

  /** Signs the first root (or any root by its own keys). */
  public static Metadata<Root> signRoot(Root root, List<SigningKey> keys) {
    return sign(root, RoleType.ROOT.typeName(), root, keys);
  }

  /**
   * Root rotation (TUF 1.0 §6.1): root version N+1 signed by a threshold of the trusted root's keys
   * and a threshold of its own, which clients check at §5.3.4.
   *
   * @throws IllegalArgumentException unless {@code next} is version N+1
   * @throws SignatureThresholdException if either threshold is not met
   */
  public static Metadata<Root> rotateRoot(
      Root trusted, Root next, List<SigningKey> oldKeys, List<SigningKey> newKeys) {
    if (next.version() != trusted.version() + 1) {
      throw new IllegalArgumentException(
          "root " + next.version() + " cannot follow root " + trusted.version());
    }
    List<SigningKey> all = new ArrayList<>(oldKeys);
    all.addAll(newKeys);
    Metadata<Root> metadata = signRoot(next, all);
    TufVerifier.verifyThreshold(metadata, RoleType.ROOT.typeName(), trusted);
    return metadata;
  }

  private static List<SigningKey> distinct(List<SigningKey> keys) {
    Set<String> seen = new HashSet<>();
    return keys.stream().filter(k -> seen.add(k.keyId())).toList();
  }
}
