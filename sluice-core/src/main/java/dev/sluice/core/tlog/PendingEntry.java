package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Hash;
import java.util.Arrays;
import java.util.Objects;

/** An appended entry that the sequencer has not yet given an index. */
public record PendingEntry(long sequence, Hash leafHash, byte[] entry) {
  public PendingEntry {
    Objects.requireNonNull(leafHash, "leafHash");
    entry = entry.clone();
  }

  @Override
  public byte[] entry() {
    return entry.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PendingEntry that
        && sequence == that.sequence
        && leafHash.equals(that.leafHash)
        && Arrays.equals(entry, that.entry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, leafHash, Arrays.hashCode(entry));
  }

  @Override
  public String toString() {
    return "PendingEntry[" + sequence + ", " + leafHash + ", " + entry.length + " bytes]";
  }
}
