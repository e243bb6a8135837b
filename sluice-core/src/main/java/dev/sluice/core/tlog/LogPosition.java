package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import java.util.List;
import java.util.Objects;

/**
 * Where an entry sits in the log, with the evidence a device needs: a signed checkpoint whose tree
 * contains the entry, and the RFC 9162 inclusion proof from the entry's leaf hash to that
 * checkpoint's root. The proof is verified when the value is built, so a position always holds.
 */
public record LogPosition(
    long index, Hash leafHash, SignedCheckpoint checkpoint, List<Hash> inclusionProof) {
  public LogPosition {
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(checkpoint, "checkpoint");
    inclusionProof = List.copyOf(inclusionProof);
    InclusionProofs.verify(index, checkpoint.size(), leafHash, inclusionProof, checkpoint.root());
  }
}
