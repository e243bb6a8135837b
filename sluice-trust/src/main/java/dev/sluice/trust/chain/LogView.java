package dev.sluice.trust.chain;

import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.EntryBundles;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import dev.sluice.trust.tlog.TlogException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The log as one verification run sees it: a checkpoint verified with the log key and checked
 * against the stored one, and entries each proven included in it.
 */
final class LogView {
  /** An entry of the log, proven included in the checkpoint. */
  record Entry(long index, byte[] bytes, Hash leafHash) {}

  private final ChainSource source;
  private final Checkpoint checkpoint;
  private final Map<Long, List<byte[]>> bundles = new HashMap<>();
  private final String detail;

  private LogView(ChainSource source, Checkpoint checkpoint, String detail) {
    this.source = source;
    this.checkpoint = checkpoint;
    this.detail = detail;
  }

  Checkpoint checkpoint() {
    return checkpoint;
  }

  /** What the checkpoint link established, for the report. */
  String detail() {
    return detail;
  }

  /**
   * Fetches and verifies the latest checkpoint, proves it consistent with the stored one and stores
   * it if it is newer.
   *
   * @throws CheckpointRefusedException if it is not acceptable
   * @throws LogForkException if it contradicts the stored checkpoint
   */
  static LogView open(ChainSource source, NoteVerifier key, VerifierState state, Instant now) {
    byte[] note = source.checkpoint();
    Checkpoint offered = verified(note, key, "the checkpoint from " + source.describe());
    Optional<byte[]> storedNote = state.checkpoint();
    if (storedNote.isEmpty()) {
      state.storeCheckpoint(note);
      return new LogView(source, offered, describe(offered) + "; first checkpoint stored");
    }
    Checkpoint stored = verified(storedNote.get(), key, "the stored checkpoint");
    long oldSize = Math.min(stored.size(), offered.size());
    long newSize = Math.max(stored.size(), offered.size());
    Checkpoint older = stored.size() <= offered.size() ? stored : offered;
    Checkpoint newer = older == stored ? offered : stored;
    if (oldSize != newSize || !stored.rootHash().equals(offered.rootHash())) {
      List<Hash> proof;
      try {
        // An empty tree is a prefix of every tree, and equal sizes need no hashes (RFC 9162).
        proof =
            oldSize == 0 || oldSize == newSize
                ? List.of()
                : source.consistencyProof(oldSize, newSize);
      } catch (IllegalArgumentException | TlogException | ChainUnavailableException e) {
        throw new CheckpointRefusedException(
            "the log's checkpoint of size "
                + offered.size()
                + " cannot be proven consistent with the stored one of size "
                + stored.size()
                + " from "
                + source.describe()
                + ": "
                + e.getMessage(),
            e);
      }
      try {
        ConsistencyProofs.verify(oldSize, newSize, older.rootHash(), newer.rootHash(), proof);
      } catch (TlogException e) {
        Optional<java.nio.file.Path> evidence = state.keepForkEvidence(storedNote.get(), note, now);
        throw new LogForkException(
            "the log signed a checkpoint of size "
                + offered.size()
                + " (root "
                + offered.rootHash().base64()
                + ") that is not consistent with the stored checkpoint of size "
                + stored.size()
                + " (root "
                + stored.rootHash().base64()
                + "): "
                + e.getMessage()
                + "; the log forked"
                + evidence.map(p -> ", both checkpoints kept in " + p).orElse(""),
            VerifierState.text(storedNote.get()),
            VerifierState.text(note),
            evidence.orElse(null));
      }
    }
    String detail;
    if (offered.size() > stored.size()) {
      state.storeCheckpoint(note);
      detail = describe(offered) + "; consistent with the stored size " + stored.size();
    } else if (offered.size() == stored.size()) {
      detail = describe(offered) + "; same as the stored checkpoint";
    } else {
      detail =
          describe(offered) + "; an older view, consistent with the stored size " + stored.size();
    }
    return new LogView(source, offered, detail);
  }

  private static Checkpoint verified(byte[] note, NoteVerifier key, String what) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.fromVerifiedNote(SignedNote.open(note, key));
    } catch (TlogException e) {
      throw new CheckpointRefusedException(
          what + " is not validly signed by the log key " + key.name() + ": " + e.getMessage(), e);
    }
    if (!checkpoint.origin().equals(key.name())) {
      throw new CheckpointRefusedException(
          what
              + " is of the log \""
              + checkpoint.origin()
              + "\", not \""
              + key.name()
              + "\" (the log key's name)");
    }
    return checkpoint;
  }

  private static String describe(Checkpoint c) {
    return "signed by " + c.origin() + ", size " + c.size();
  }

  /**
   * The entry at {@code index}, proven included in the checkpoint; if {@code expectedLeaf} is
   * given, the entry must hash to it.
   *
   * @param failure the exception a missing or unproven entry raises, given a message
   */
  Entry entry(
      long index,
      Optional<Hash> expectedLeaf,
      Function<String, ? extends ChainVerificationException> failure) {
    if (index < 0 || index >= checkpoint.size()) {
      throw failure.apply(
          "log index " + index + " is not in the log's signed tree of size " + checkpoint.size());
    }
    byte[] entry;
    try {
      entry = bundle(index / Tiles.WIDTH).get((int) (index % Tiles.WIDTH));
    } catch (TlogException | IndexOutOfBoundsException e) {
      throw failure.apply("the entry bundle holding index " + index + " is malformed: " + e);
    }
    Hash leaf = MerkleHash.leaf(entry);
    if (expectedLeaf.isPresent() && !expectedLeaf.get().equals(leaf)) {
      throw failure.apply(
          "the log entry at index "
              + index
              + " has leaf hash "
              + leaf.hex()
              + ", not "
              + expectedLeaf.get().hex());
    }
    try {
      List<Hash> proof = source.inclusionProof(index, checkpoint.size());
      InclusionProofs.verify(index, checkpoint.size(), leaf, proof, checkpoint.rootHash());
    } catch (TlogException | IllegalArgumentException e) {
      throw failure.apply(
          "the entry at index "
              + index
              + " is not proven included in the checkpoint of size "
              + checkpoint.size()
              + ": "
              + e.getMessage());
    }
    return new Entry(index, entry, leaf);
  }

  /**
   * Every entry after {@code afterIndex}, each checked against hash tiles that reproduce the
   * checkpoint's root (so none can be hidden or altered).
   *
   * @throws CheckpointRefusedException if the tiles or bundles contradict the checkpoint
   */
  void scanAfter(long afterIndex, java.util.function.Consumer<Entry> visitor) {
    long size = checkpoint.size();
    long first = afterIndex + 1;
    if (first >= size) {
      return;
    }
    try {
      TileHashReader tiles = TileAudit.verifyHashTiles(size, checkpoint.rootHash(), source::tile);
      for (long bundle = first / Tiles.WIDTH; bundle * Tiles.WIDTH < size; bundle++) {
        EntryBundleId id = bundleId(bundle);
        List<byte[]> entries = TileAudit.verifyEntryBundle(id, source.tile(id.path()), tiles);
        bundles.put(bundle, entries);
        for (int i = 0; i < entries.size(); i++) {
          long index = bundle * Tiles.WIDTH + i;
          if (index >= first) {
            visitor.accept(new Entry(index, entries.get(i), MerkleHash.leaf(entries.get(i))));
          }
        }
      }
    } catch (TlogException | IllegalArgumentException e) {
      throw tilesContradict(e);
    }
  }

  /**
   * The newest entry {@code wanted} accepts, searching back from the end of the tree; every bundle
   * read is checked against hash tiles that reproduce the checkpoint's root, so the search cannot
   * be fooled by a hidden or altered entry.
   *
   * @throws CheckpointRefusedException if the tiles or bundles contradict the checkpoint
   */
  Optional<Entry> findLast(Predicate<Entry> wanted) {
    long size = checkpoint.size();
    if (size == 0) {
      return Optional.empty();
    }
    try {
      TileHashReader tiles = TileAudit.verifyHashTiles(size, checkpoint.rootHash(), source::tile);
      for (long bundle = (size - 1) / Tiles.WIDTH; bundle >= 0; bundle--) {
        EntryBundleId id = bundleId(bundle);
        List<byte[]> entries = TileAudit.verifyEntryBundle(id, source.tile(id.path()), tiles);
        bundles.put(bundle, entries);
        for (int i = entries.size() - 1; i >= 0; i--) {
          Entry entry =
              new Entry(bundle * Tiles.WIDTH + i, entries.get(i), MerkleHash.leaf(entries.get(i)));
          if (wanted.test(entry)) {
            return Optional.of(entry);
          }
        }
      }
      return Optional.empty();
    } catch (TlogException | IllegalArgumentException e) {
      throw tilesContradict(e);
    }
  }

  private CheckpointRefusedException tilesContradict(RuntimeException e) {
    return new CheckpointRefusedException(
        "the log's tiles do not reproduce its signed checkpoint of size "
            + checkpoint.size()
            + ": "
            + e.getMessage(),
        e);
  }

  private List<byte[]> bundle(long bundleIndex) {
    List<byte[]> entries = bundles.get(bundleIndex);
    if (entries == null) {
      EntryBundleId id = bundleId(bundleIndex);
      entries = EntryBundles.decode(source.tile(id.path()));
      if (entries.size() != id.width()) {
        throw new IndexOutOfBoundsException(
            id.path() + " holds " + entries.size() + " entries, expected " + id.width());
      }
      bundles.put(bundleIndex, entries);
    }
    return entries;
  }

  private EntryBundleId bundleId(long bundleIndex) {
    long full = checkpoint.size() / Tiles.WIDTH;
    int width = bundleIndex < full ? Tiles.WIDTH : (int) (checkpoint.size() % Tiles.WIDTH);
    return new EntryBundleId(bundleIndex, width);
  }
}
