package dev.sluice.core.policy;

import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.MerkleHash;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A product's policy record as stored: the record, its log leaf hash and, once the log has
 * sequenced it, its log index.
 */
public record StoredPolicy(
    PolicyRecord record, Hash leafHash, Optional<Long> logIndex, Instant createdAt) {
  public StoredPolicy {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(logIndex, "logIndex");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!leafHash.equals(MerkleHash.leaf(record.canonicalBytes()))) {
      throw new IllegalArgumentException("the leaf hash is not the policy record's");
    }
  }

  public static StoredPolicy appended(PolicyRecord record, Instant at) {
    return new StoredPolicy(record, MerkleHash.leaf(record.canonicalBytes()), Optional.empty(), at);
  }

  public PolicyStatement statement() {
    return record.statement();
  }

  public long sequence() {
    return record.statement().sequence();
  }

  /** How a release record or the next policy names this one; needs the log index. */
  public Optional<PolicyRef> ref() {
    return logIndex.map(i -> new PolicyRef(i, record.sha256()));
  }

  public StoredPolicy withLogIndex(long index) {
    return new StoredPolicy(record, leafHash, Optional.of(index), createdAt);
  }
}
