package dev.sluice.core.publication;

import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.MerkleHash;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A release record that was appended to the transparency log for a release, kept with its exact
 * bytes so that a retry appends the identical entry (same leaf hash, same index) instead of a new
 * one. {@code done} once the TUF metadata reflects it.
 */
public record Publication(
    ReleaseId releaseId,
    ReleaseRecord.Kind kind,
    byte[] record,
    Hash leafHash,
    boolean done,
    Instant createdAt) {
  public Publication {
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(kind, "kind");
    record = record.clone();
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!leafHash.equals(MerkleHash.leaf(record))) {
      throw new IllegalArgumentException("the leaf hash is not the record's");
    }
  }

  /** A publication just appended to the log. */
  public static Publication logged(ReleaseId id, ReleaseRecord record, Instant at) {
    byte[] bytes = record.canonicalBytes();
    return new Publication(id, record.kind(), bytes, MerkleHash.leaf(bytes), false, at);
  }

  @Override
  public byte[] record() {
    return record.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Publication p
        && releaseId.equals(p.releaseId)
        && kind == p.kind
        && Arrays.equals(record, p.record)
        && done == p.done
        && createdAt.equals(p.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(releaseId, kind, Arrays.hashCode(record), done, createdAt);
  }

  @Override
  public String toString() {
    return "Publication[" + releaseId + " " + kind + " " + leafHash.hex() + (done ? " done]" : "]");
  }
}
