package dev.sluice.trust.tlog;

import dev.sluice.trust.hash.Sha256;
import java.security.MessageDigest;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256. Leaves and interior nodes are domain-separated by a prefix
 * byte, so a leaf can never be passed off as an interior node (second-preimage resistance).
 */
public final class MerkleHash {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final Hash EMPTY = new Hash(Sha256.newDigest().digest());

  private MerkleHash() {}

  /** MTH({d0}) = SHA-256(0x00 || d0). */
  public static Hash leaf(byte[] entry) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(LEAF_PREFIX);
    digest.update(entry);
    return new Hash(digest.digest());
  }

  /** SHA-256(0x01 || left || right). */
  public static Hash node(Hash left, Hash right) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(NODE_PREFIX);
    digest.update(left.unsafeBytes());
    digest.update(right.unsafeBytes());
    return new Hash(digest.digest());
  }

  /** The root of the empty tree, MTH({}) = SHA-256(""). */
  public static Hash emptyRoot() {
    return EMPTY;
  }
}
