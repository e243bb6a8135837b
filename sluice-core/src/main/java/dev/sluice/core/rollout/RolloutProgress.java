package dev.sluice.core.rollout;

import dev.sluice.core.device.ControllerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluator's bookmarks for one rollout, so that work split over many runs (and instances)
 * resumes where it stopped.
 *
 * @param membershipDone whether every device matched at start has been recorded
 * @param membershipAfter the last device recorded so far (keyset paging by controller id)
 * @param joinedSince for a dynamic rollout: registration time of the last device that joined
 * @param joinedAfter and its id (ties on registration time are broken by id)
 * @param gateCheckedAt when a webhook gate was last asked
 */
public record RolloutProgress(
    boolean membershipDone,
    Optional<ControllerId> membershipAfter,
    Optional<Instant> joinedSince,
    Optional<ControllerId> joinedAfter,
    Optional<Instant> gateCheckedAt) {
  public static final RolloutProgress START =
      new RolloutProgress(
          false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public RolloutProgress {
    Objects.requireNonNull(membershipAfter, "membershipAfter");
    Objects.requireNonNull(joinedSince, "joinedSince");
    Objects.requireNonNull(joinedAfter, "joinedAfter");
    Objects.requireNonNull(gateCheckedAt, "gateCheckedAt");
  }

  public RolloutProgress membershipAt(Optional<ControllerId> after, boolean done) {
    return new RolloutProgress(done, after, joinedSince, joinedAfter, gateCheckedAt);
  }

  public RolloutProgress joinedAt(Instant since, ControllerId after) {
    return new RolloutProgress(
        membershipDone, membershipAfter, Optional.of(since), Optional.of(after), gateCheckedAt);
  }

  /** Dynamic joining starts with devices registered after {@code since}. */
  public RolloutProgress joinedFrom(Instant since) {
    return new RolloutProgress(
        membershipDone, membershipAfter, Optional.of(since), Optional.empty(), gateCheckedAt);
  }

  public RolloutProgress gateCheckedAt(Instant at) {
    return new RolloutProgress(
        membershipDone, membershipAfter, joinedSince, joinedAfter, Optional.of(at));
  }
}
