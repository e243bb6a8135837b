package dev.sluice.trust.tuf;

import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.Delegator;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which of a role's keys have validly signed a metadata file and which have not, counted as {@link
 * TufVerifier#verifyThreshold} counts them: for showing key holders what is still needed.
 *
 * @param role the role's name
 * @param threshold how many of its keys must sign
 * @param signed key ids with a valid signature (each key once)
 * @param missing key ids of the role that have not validly signed
 * @param invalid key ids of the role whose signature does not verify over the signed part
 */
public record SignatureTally(
    String role, int threshold, List<String> signed, List<String> missing, List<String> invalid) {
  public SignatureTally {
    Objects.requireNonNull(role, "role");
    signed = List.copyOf(signed);
    missing = List.copyOf(missing);
    invalid = List.copyOf(invalid);
  }

  /**
   * Tallies the signatures on {@code metadata} by the keys {@code delegator} lists for {@code
   * roleName}.
   *
   * @throws IllegalArgumentException if the delegator does not delegate to the role
   */
  public static SignatureTally of(Metadata<?> metadata, String roleName, Delegator delegator) {
    RoleKeys role =
        delegator
            .roleKeys(roleName)
            .orElseThrow(() -> new IllegalArgumentException("no role " + roleName + " delegated"));
    byte[] message = metadata.signedBytes();
    Set<String> identities = new HashSet<>();
    List<String> signed = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (Signature signature : metadata.signatures()) {
      VerificationKey key = delegator.keys().get(signature.keyId());
      if (!role.keyIds().contains(signature.keyId()) || key == null) {
        continue;
      }
      try {
        key.verify(message, signature.bytes());
        if (identities.add(HexFormat.of().formatHex(key.publicKeyBytes()))) {
          signed.add(signature.keyId());
        }
      } catch (SignatureVerificationException | IllegalArgumentException e) {
        invalid.add(signature.keyId());
      }
    }
    List<String> missing = role.keyIds().stream().filter(id -> !signed.contains(id)).toList();
    return new SignatureTally(roleName, role.threshold(), signed, missing, invalid);
  }

  /** Whether the threshold is met. */
  public boolean met() {
    return signed.size() >= threshold;
  }

  /** One line for people, e.g. {@code root: 1 of 2 needed; signed by [a]; not yet [b, c]}. */
  public String describe() {
    StringBuilder out =
        new StringBuilder(role)
            .append(": ")
            .append(signed.size())
            .append(" of ")
            .append(threshold)
            .append(" needed")
            .append(met() ? " (met)" : " (SHORT by " + (threshold - signed.size()) + ")")
            .append("; signed by ")
            .append(signed)
            .append("; not signed by ")
            .append(missing);
    if (!invalid.isEmpty()) {
      out.append("; signatures that do not verify (the signed part changed?) by ").append(invalid);
    }
    return out.toString();
  }
}
