package dev.sluice.api.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A certifier and the whole history of its keys, each with the policy records that changed it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublicCertifier(String id, String displayName, long version, List<Key> keys) {
  public PublicCertifier {
    keys = List.copyOf(keys);
  }

  /**
   * One key (a TUF key object): when it was added and, if it was, revoked.
   *
   * @param revokedAt {@code null} while the key is in force
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Key(
      String keyId,
      JsonNode key,
      String addedAt,
      int addedVersion,
      String revokedAt,
      Integer revokedVersion,
      List<PolicyRecordRef> policyRecords) {
    public Key {
      policyRecords = List.copyOf(policyRecords);
    }
  }

  /**
   * A policy record that changed a key.
   *
   * @param logIndex {@code null} until the record is sequenced in the log
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PolicyRecordRef(
      String product, long sequence, String change, Long logIndex, String leafHash) {}

  /**
   * {@code GET /api/v1/public/certifiers}: one page, in id order.
   *
   * @param next the cursor of the following page ({@code ?after=}); absent on the last page
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listing(
      List<PublicCertifier> certifiers, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
    public Listing {
      certifiers = List.copyOf(certifiers);
    }

    public Listing(List<PublicCertifier> certifiers) {
      this(certifiers, null);
    }

    public Optional<String> nextIfAny() {
      return Optional.ofNullable(next);
    }
  }
}
