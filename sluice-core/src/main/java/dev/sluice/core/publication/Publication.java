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
 * one. {@link State#DONE} once the TUF metadata reflects it; {@link State#AWAITING_SIGNATURE} while
 * the product's role, signed offline, waits for its key holder's signature.
 */
public record Publication(
    ReleaseId releaseId,
    ReleaseRecord.Kind kind,
    byte[] record,
    Hash leafHash,
    State state,
    Instant createdAt) {
  public Publication {
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(kind, "kind");
    record = record.clone();
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!leafHash.equals(MerkleHash.leaf(record))) {
      throw new IllegalArgumentException("the leaf hash is not the record's");
    }
  }

  /** Where a publication stands after it was appended to the log. */
  public enum State {
    /** Appended to the log; the TUF step has not run. */
    LOGGED("logged"),
    /** The TUF step is waiting for an offline key holder's signature of the product's role. */
    AWAITING_SIGNATURE("awaiting_signature"),
    /** The TUF metadata reflects it. */
    DONE("done");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static State fromWireName(String name) {
      for (State s : values()) {
        if (s.wireName.equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("no publication state " + name);
    }
  }

  public boolean done() {
    return state == State.DONE;
  }

  /** A publication just appended to the log. */
  public static Publication logged(ReleaseId id, ReleaseRecord record, Instant at) {
    byte[] bytes = record.canonicalBytes();
    return new Publication(id, record.kind(), bytes, MerkleHash.leaf(bytes), State.LOGGED, at);
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
        && state == p.state
        && createdAt.equals(p.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(releaseId, kind, Arrays.hashCode(record), state, createdAt);
  }

  @Override
  public String toString() {
    return "Publication["
        + releaseId
        + " "
        + kind
        + " "
        + leafHash.hex()
        + " "
        + state.wireName()
        + "]";
  }
}
