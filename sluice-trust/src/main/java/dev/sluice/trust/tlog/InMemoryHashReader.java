package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only in-memory tree that stores every perfect-subtree hash as leaves are appended. For
 * tests and small tools; not thread-safe.
 */
public final class InMemoryHashReader implements HashReader {
  private final List<List<Hash>> levels = new ArrayList<>();

  public InMemoryHashReader() {}

  public static InMemoryHashReader ofLeafHashes(List<Hash> leafHashes) {
    InMemoryHashReader reader = new InMemoryHashReader();
    leafHashes.forEach(reader::append);
    return reader;
  }

  /** Appends a leaf hash and every perfect subtree it completes; returns the leaf's index. */
  public long append(Hash leafHash) {
    long index = size();
    Hash carry = leafHash;
    for (int level = 0; ; level++) {
      if (levels.size() == level) {
        levels.add(new ArrayList<>());
      }
      List<Hash> row = levels.get(level);
      row.add(carry);
      if (row.size() % 2 != 0) {
        return index;
      }
      carry = MerkleHash.node(row.get(row.size() - 2), carry);
    }
  }

  /** Appends the leaf hash of {@code entry}; returns its index. */
  public long appendEntry(byte[] entry) {
    return append(MerkleHash.leaf(entry));
  }

  public long size() {
    return levels.isEmpty() ? 0 : levels.get(0).size();
  }

  public Hash root() {
    return MerkleTree.root(size(), this);
  }

  @Override
  public Hash hash(int level, long index) {
    if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
      throw new IllegalArgumentException("no stored hash at level " + level + " index " + index);
    }
    return levels.get(level).get(Math.toIntExact(index));
  }
}
