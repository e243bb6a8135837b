package dev.sluice.trust.chain;

import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tuf.RemoteRepository;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link ReleaseChainVerifier} gets the public data it checks: a live server ({@link
 * HttpChainSource}) or an offline bundle ({@link BundleChainSource}). Everything a source returns
 * is untrusted; the verifier checks every byte against the pinned TUF root and the log key.
 *
 * <p>Failures to fetch throw {@link ChainUnavailableException} (or, for TUF files, what {@link
 * RemoteRepository} documents). Proofs default to being computed from the log's tiles, which is how
 * an offline bundle answers them; a server may answer them directly.
 */
public interface ChainSource {
  /** The TUF repository ({@code /tuf/} of a server). */
  RemoteRepository tuf();

  /** The log's latest checkpoint, a C2SP signed note ({@code /log/checkpoint}). */
  byte[] checkpoint();

  /**
   * A C2SP tlog-tiles file by its path below the log's base, for example {@code tile/0/000.p/7} or
   * {@code tile/entries/000.p/7}.
   */
  byte[] tile(String path);

  /** RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves. */
  default List<Hash> inclusionProof(long index, long treeSize) {
    return InclusionProofs.generate(index, treeSize, new TileHashReader(treeSize, this::tile));
  }

  /** RFC 9162 consistency proof from the tree of {@code oldSize} leaves to {@code newSize}. */
  default List<Hash> consistencyProof(long oldSize, long newSize) {
    return ConsistencyProofs.generate(oldSize, newSize, new TileHashReader(newSize, this::tile));
  }

  /**
   * Where the source says release {@code releaseId} is, so that a verifier resolves its targets
   * directly instead of reading every target list. Only a hint: the verifier checks every target it
   * leads to, and a wrong or missing hint only makes it read every list. None by default.
   *
   * @throws ChainUnavailableException if the source could not be asked
   */
  default Optional<ReleaseLocation> locate(String releaseId) {
    return Optional.empty();
  }

  /** Where the data comes from, for messages ("https://updates.example", "bundle x.json"). */
  String describe();
}
