package dev.sluice.trust.tuf;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.TufException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The checks of the TUF 1.0 client workflow that do not depend on its state. Each returns normally
 * or throws a {@link TufException}; there is no result to ignore.
 */
public final class TufVerifier {
  private TufVerifier() {}

  /**
   * Verifies that a threshold of the role's keys, as the delegator lists them, signed the metadata.
   * Only signatures by keys the delegator lists for the role count; each key counts once however
   * many signatures it made, and keys are told apart by their public key bytes as well as their key
   * ids, so one key listed under two ids (for example two PEM spellings) also counts once. Invalid
   * signatures and signatures by other keys are ignored.
   *
   * @throws SignatureThresholdException if fewer valid signatures than the threshold remain
   * @throws IllegalArgumentException if the delegator does not delegate to the role
   */
  public static void verifyThreshold(Metadata<?> metadata, String roleName, Delegator delegator) {
    RoleKeys role =
        delegator
            .roleKeys(roleName)
            .orElseThrow(() -> new IllegalArgumentException("no role " + roleName + " delegated"));
    Set<String> allowed = Set.copyOf(role.keyIds());
    byte[] message = metadata.signedBytes();
    Set<String> counted = new HashSet<>();
    for (Signature signature : metadata.signatures()) {
      VerificationKey key = delegator.keys().get(signature.keyId());
      if (!allowed.contains(signature.keyId()) || key == null) {
        continue;
      }
      String identity = HexFormat.of().formatHex(key.publicKeyBytes());
      if (counted.contains(identity)) {
        continue;
      }
      try {
        key.verify(message, signature.bytes());
        counted.add(identity);
      } catch (SignatureVerificationException e) {
        // An invalid signature does not count; another signature may still meet the threshold.
      }
    }
    if (counted.size() < role.threshold()) {
      throw new SignatureThresholdException(roleName, role.threshold(), counted.size());
    }
  }

  /**
   * Verifies that metadata has not expired at the fixed update start time.
   *
   * @throws ExpiredMetadataException if it expires at or before {@code now}
   */
  public static void verifyNotExpired(String roleName, Signed signed, Instant now) {
    if (signed.isExpired(now)) {
      throw new ExpiredMetadataException(roleName, signed.expires(), now);
    }
  }

  /**
   * Verifies a fetched metadata file against its trusted meta entry: length and SHA-256 when
   * listed.
   *
   * @throws LengthOrHashMismatchException if either differs
   */
  public static void verifyLengthAndHash(String fileName, byte[] file, MetaFile meta) {
    verifyLengthAndHash(fileName, file, meta.length(), meta.sha256());
  }

  /**
   * Verifies bytes against an optional exact length and an optional SHA-256 (compared in constant
   * time).
   *
   * @throws LengthOrHashMismatchException if either differs
   */
  public static void verifyLengthAndHash(
      String what, byte[] bytes, OptionalLong length, Optional<Sha256> sha256) {
    if (length.isPresent() && length.getAsLong() != bytes.length) {
      throw new LengthOrHashMismatchException(
          what, "length " + length.getAsLong(), "length " + bytes.length);
    }
    if (sha256.isPresent()) {
      Sha256 actual = Sha256.of(bytes);
      if (!actual.matches(sha256.get())) {
        throw new LengthOrHashMismatchException(
            what, "sha256 " + sha256.get().hex(), "sha256 " + actual.hex());
      }
    }
  }
}
