package dev.sluice.core.policy;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.tlog.Hash;
import java.util.List;
import java.util.Optional;

/** Products' certification policies (the records appended to the log) and pending proposals. */
public interface PolicyRepository {

  /**
   * Stores a product's next policy record.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the product already has a
   *     policy with that sequence (a concurrent change)
   */
  void insert(StoredPolicy policy);

  /**
   * The product's newest policy. Two concurrent changes cannot both succeed: the second one's
   * insert of the same sequence fails.
   */
  Optional<StoredPolicy> current(ProductName product);

  /** Every policy of the product, oldest first. */
  List<StoredPolicy> history(ProductName product);

  /** Records the log index the sequencer gave the policy record with this leaf hash. */
  void setLogIndex(Hash leafHash, long index);

  /** The policies whose change added or revoked this key, oldest first. */
  List<StoredPolicy> keyChanges(String keyId);

  Optional<PendingPolicy> pending(ProductName product);

  /** Stores a proposal, replacing the product's earlier one and its signatures. */
  void propose(PendingPolicy pending);

  /** Adds or replaces a certifier's signature of the product's pending proposal. */
  void addSignature(ProductName product, Endorsement signature, java.time.Instant at);

  /** Removes the product's proposal and its signatures. */
  void discardPending(ProductName product);
}
