package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.TufException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads metadata for {@link TufUpdater}: from the remote, bounded and checked against its trusted
 * meta entry and delegator, or back from the {@link TrustedStore}, re-verified.
 */
final class MetadataLoader {
  /** Metadata that passed every check, with the exact bytes it was read from. */
  record Verified<T extends Signed>(Metadata<T> metadata, byte[] bytes) {
    T signed() {
      return metadata.signed();
    }
  }

  private final RemoteRepository remote;
  private final TrustedStore store;

  MetadataLoader(RemoteRepository remote, TrustedStore store) {
    this.remote = remote;
    this.store = store;
  }

  /**
   * Fetches {@code [N.]role.json} and checks it against its trusted meta entry: no longer than
   * allowed, the listed length and hash, a threshold of the delegator's keys, the listed version.
   */
  <T extends Signed> Verified<T> fetchVerified(
      String role,
      Class<T> type,
      MetaFile meta,
      long defaultMaxBytes,
      Delegator delegator,
      boolean consistent) {
    String file = TufLayout.metadataFile(role, meta.version(), consistent);
    long max = meta.length().orElse(defaultMaxBytes);
    byte[] bytes = fetch(file, max).orElseThrow(() -> new MetadataNotFoundException(file));
    // Hashes first: they come from already verified metadata and reject tampering cheaply.
    TufVerifier.verifyLengthAndHash(file, bytes, meta);
    Metadata<T> metadata = Metadata.parse(bytes, type);
    TufVerifier.verifyThreshold(metadata, role, delegator);
    if (metadata.signed().version() != meta.version()) {
      throw new BadVersionException(role, meta.version(), metadata.signed().version());
    }
    return new Verified<>(metadata, bytes);
  }

  /** The stored metadata if it is exactly what the meta entry describes, so need not be fetched. */
  static <T extends Signed> Optional<Verified<T>> reusable(
      Optional<Verified<T>> stored, MetaFile meta) {
    return stored.filter(
        v -> {
          if (v.signed().version() != meta.version()) {
            return false;
          }
          try {
            TufVerifier.verifyLengthAndHash("stored", v.bytes(), meta);
            return true;
          } catch (LengthOrHashMismatchException e) {
            return false;
          }
        });
  }

  /**
   * The stored metadata of a role if it parses and a threshold of the delegator's keys still sign
   * it; anything else is treated as absent.
   */
  <T extends Signed> Optional<Verified<T>> loadStored(
      String role, Class<T> type, Delegator delegator) {
    return loadStored(role, type, metadata -> delegator);
  }

  /** The stored root if it parses and a threshold of its own root keys sign it. */
  Optional<Metadata<Root>> loadStoredRoot() {
    return loadStored(RoleType.ROOT.typeName(), Root.class, Metadata::signed)
        .map(Verified::metadata);
  }

  private <T extends Signed> Optional<Verified<T>> loadStored(
      String role, Class<T> type, Function<Metadata<T>, Delegator> delegator) {
    Optional<byte[]> bytes = store.load(role);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      Metadata<T> metadata = Metadata.parse(bytes.get(), type);
      TufVerifier.verifyThreshold(metadata, role, delegator.apply(metadata));
      return Optional.of(new Verified<>(metadata, bytes.get()));
    } catch (TufException e) {
      return Optional.empty();
    }
  }

  Optional<byte[]> fetch(String file, long maxLength) {
    Optional<byte[]> bytes = remote.fetchMetadata(file, maxLength);
    if (bytes.isPresent() && bytes.get().length > maxLength) {
      throw new MetadataTooLargeException(file, maxLength);
    }
    return bytes;
  }
}
