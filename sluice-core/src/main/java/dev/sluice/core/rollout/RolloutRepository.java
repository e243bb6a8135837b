package dev.sluice.core.rollout;

import dev.sluice.core.PageCursor;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.product.ProductName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rollouts, their per-stage counters and their devices. */
public interface RolloutRepository {

  /** Stores a new rollout and its stages. */
  void insert(Rollout rollout);

  Optional<Rollout> find(RolloutId id);

  /** Like {@link #find}, locking the rollout's row until the transaction ends. */
  Optional<Rollout> findForUpdate(RolloutId id);

  /** Rollouts newest first, optionally in one state. */
  default List<Rollout> list(Optional<RolloutState> state, int limit) {
    return list(state, Optional.empty(), limit);
  }

  /** Like {@link #list(Optional, int)}, only rollouts older than {@code after} (the next page). */
  default List<Rollout> list(Optional<RolloutState> state, Optional<PageCursor> after, int limit) {
    return list(state, new ListFilter.All(), SortOrder.DESCENDING, after, limit);
  }

  /**
   * Rollouts that the filter selects (in one state, if given), in creation order ({@code order},
   * ties by id), past {@code after} in that order: a keyset-paged list.
   */
  List<Rollout> list(
      Optional<RolloutState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit);

  /** Ids of rollouts in the given states, oldest first. */
  List<RolloutId> idsIn(List<RolloutState> states);

  /** Saves the rollout's state, stage, baseline, halt and gate reply. */
  void update(Rollout rollout);

  /**
   * Deletes the rollout with its stage counters and member rows (its devices' actions and their
   * history stay); false if there is no such rollout.
   */
  boolean delete(RolloutId id);

  /**
   * Claims the rollout for evaluation by {@code owner} until {@code until}, unless another owner's
   * claim is still valid at {@code now}. Several server instances thus never evaluate one rollout
   * at the same time.
   *
   * @return the lease's epoch (the fencing token: larger than any earlier claim's), or empty when
   *     another owner holds the rollout
   */
  java.util.OptionalLong claim(RolloutId id, String owner, Instant now, Instant until);

  /**
   * The fence every write of a lease holder passes first: extends {@code owner}'s lease of epoch
   * {@code epoch} to {@code until} and locks the rollout's row for the rest of the transaction, so
   * no other instance can claim it in between. False when the lease was lost (another instance
   * claimed the rollout since): the holder must not write.
   */
  boolean renew(RolloutId id, String owner, long epoch, Instant until);

  /** Gives up {@code owner}'s claim. */
  void release(RolloutId id, String owner);

  RolloutProgress progress(RolloutId id);

  void saveProgress(RolloutId id, RolloutProgress progress);

  /**
   * Each stage's counters, by stage index, counted from the members' rows as they stand in this
   * transaction: a member offered the release (any status but PENDING) is assigned; OPEN, RETRY and
   * CANCELING count as open; SUCCEEDED, FAILED and CANCELED as themselves. No counter is stored, so
   * no device's report writes a row shared with other devices.
   */
  List<StageCounters> counters(RolloutId id);

  /** Records devices as members (PENDING); devices already members are left alone. */
  int addMembers(List<RolloutDevice> members);

  /**
   * Records the next page of a rollout's matched devices as PENDING members without a stage (rank
   * {@link StageMembership#rank}): the product's devices in service that {@code filter} selects,
   * the first {@code limit} by controller id after {@code after}. Devices already members are left
   * alone. On PostgreSQL one {@code INSERT ... SELECT} (the rank computed by the database), so that
   * starting a rollout over a million devices ships no device through the server.
   */
  MemberPage recordPage(
      RolloutId id,
      ProductName product,
      dev.sluice.core.device.DeviceFilter filter,
      Optional<ControllerId> after,
      int limit,
      Instant at);

  /** What {@link #recordPage} read: how many devices, and the last one (the next page's start). */
  record MemberPage(int read, Optional<ControllerId> last) {
    public MemberPage {
      java.util.Objects.requireNonNull(last, "last");
    }
  }

  /** How many devices are members. */
  long memberCount(RolloutId id);

  /** Puts the first {@code count} members without a stage, by rank, into {@code stage}. */
  int stageByRank(RolloutId id, int stage, long count);

  /** Members in {@code status} in stages up to {@code maxStage}, by stage and rank. */
  List<RolloutDevice> members(RolloutId id, MemberStatus status, int maxStage, int limit);

  /** How many members of stages up to {@code maxStage} are in {@code status}. */
  long countMembers(RolloutId id, MemberStatus status, int maxStage);

  Optional<RolloutDevice> member(RolloutId id, ControllerId device);

  /** Saves the member's stage, status, action, attempt, time-out mark and time. */
  void saveMember(RolloutDevice member);

  /** Like {@link #saveMember} of each member, with a constant number of statements. */
  void saveMembers(List<RolloutDevice> members);

  /**
   * A report on the member's current action, in one statement: if the device is a member whose
   * current action is {@code action} and whose status is OPEN or CANCELING, sets its status to
   * {@code next} (or keeps it, if empty), clears its time-out mark and sets its time to {@code at}.
   * Equivalent to {@link #member} then {@link #saveMember} of {@code member.with(next, at)}.
   *
   * @return whether such a member was changed
   */
  boolean reportOn(
      RolloutId id,
      ControllerId device,
      dev.sluice.core.action.ActionId action,
      Optional<MemberStatus> next,
      Instant at);

  /** OPEN members whose action has not changed since before {@code cutoff}, oldest first. */
  List<RolloutDevice> silentSince(RolloutId id, Instant cutoff, int limit);

  /** Succeeded and failed devices over the product's FINISHED rollouts: {succeeded, failed}. */
  long[] finishedOutcomes(ProductName product);

  /**
   * When members of the rollout reached a final outcome (succeeded or failed), oldest first, at
   * most {@code limit}: the console's chart of cumulative outcomes over time.
   */
  List<Outcome> outcomes(RolloutId id, int limit);

  /** A member's final outcome and when it was recorded. */
  record Outcome(boolean succeeded, Instant at) {
    public Outcome {
      java.util.Objects.requireNonNull(at, "at");
    }
  }
}
