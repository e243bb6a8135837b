package dev.sluice.trust.chain;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code policy} record of format {@code sluice.policy-record/v1} (docs/records.md): who
 * certifies a product, how many must agree, and the endorsements of the change that produced it.
 * Keys are parsed strictly ({@link VerificationKey#fromTufJson}), and each listed {@code key_id} is
 * checked to be its key's TUF key id.
 *
 * @param statementBytes the canonical JSON of {@code statement}: what a {@code "policy"}
 *     endorsement signs
 */
public record LoggedPolicy(
    String product,
    long sequence,
    Optional<PolicyRef> previous,
    int threshold,
    List<Certifier> certifiers,
    Change change,
    byte[] statementBytes,
    Sha256 statementSha256,
    List<Endorsement> endorsements,
    String time) {

  public static final String FORMAT = "sluice.policy-record/v1";
  public static final String STATEMENT_TYPE = "sluice.policy-statement/v1";
  public static final String KEY_CHANGE_TYPE = "sluice.certifier-key-change/v1";

  /** A certifier of the product, with its key-set version and keys by key id. */
  public record Certifier(String id, long version, Map<String, VerificationKey> keys) {
    public Certifier {
      Objects.requireNonNull(id, "id");
      keys = Map.copyOf(keys);
    }
  }

  /** What changed from the previous policy. */
  public record Change(String kind, Optional<String> certifier, Optional<String> keyId) {
    public Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(certifier, "certifier");
      Objects.requireNonNull(keyId, "keyId");
    }
  }

  /**
   * A signature over the statement ({@code "policy"}) or over a key change ({@code "key-change"}).
   */
  public record Endorsement(String certifier, String keyId, String signs, String signature) {}

  public LoggedPolicy {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(previous, "previous");
    certifiers = List.copyOf(certifiers);
    statementBytes = statementBytes.clone();
    endorsements = List.copyOf(endorsements);
  }

  @Override
  public byte[] statementBytes() {
    return statementBytes.clone();
  }

  /** The certifier with this id, if the policy lists it. */
  public Optional<Certifier> certifier(String id) {
    return certifiers.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
