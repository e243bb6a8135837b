package dev.sluice.core.rollout;

import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.release.ReleaseId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rollout does: which release goes to which devices, in which stages, how, and when it
 * stops.
 *
 * @param release a PUBLISHED release
 * @param filter the device filter (query language of docs/device-filters.md) selecting the fleet
 * @param stages percentages (strictly increasing, ending at 100) or explicit groups
 * @param type how devices treat the action
 * @param forcedAt for a timeforced rollout, when its actions become forced
 * @param startAt when a started rollout begins assigning (empty: at once)
 * @param window the maintenance window installations wait for, if any
 * @param confirmation what counts as success (by default: running the new version after reboot)
 * @param inProgressTimeout how long a device may stay silent on an open action before it counts as
 *     failed
 * @param retry how failed devices are offered the release again
 * @param dynamic whether devices registered after the start that match the filter join
 * @param sequentialTest the sequential halting test, if enabled
 * @param consent whether each device's owner must confirm the installation first (DDI {@code
 *     confirmationBase}); the product may require it regardless
 * @see #builder(ReleaseId, List) the defaults of every optional part
 */
public record RolloutSpec(
    ReleaseId release,
    String filter,
    List<StageSpec> stages,
    ActionType type,
    Optional<Instant> forcedAt,
    Optional<Instant> startAt,
    Optional<MaintenanceWindow> window,
    ConfirmationPolicy confirmation,
    Duration inProgressTimeout,
    RetryPolicy retry,
    boolean dynamic,
    Optional<SequentialTestSpec> sequentialTest,
    boolean consent) {
  public static final int MAX_STAGES = 20;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  public RolloutSpec {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(forcedAt, "forcedAt");
    Objects.requireNonNull(startAt, "startAt");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(confirmation, "confirmation");
    Objects.requireNonNull(inProgressTimeout, "inProgressTimeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(sequentialTest, "sequentialTest");
    stages = List.copyOf(stages);
    checkStages(stages);
    if ((type == ActionType.TIMEFORCED) != forcedAt.isPresent()) {
      throw new IllegalArgumentException(
          "a timeforced rollout (and only one) has a forced-at time");
    }
    if (inProgressTimeout.compareTo(Duration.ofMinutes(1)) < 0
        || inProgressTimeout.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException("the in-progress timeout is 1 minute to 365 days");
    }
  }

  private static void checkStages(List<StageSpec> stages) {
    if (stages.isEmpty() || stages.size() > MAX_STAGES) {
      throw new IllegalArgumentException("a rollout has 1 to " + MAX_STAGES + " stages");
    }
    boolean percentages = stages.getFirst().selection() instanceof StageSelection.Percent;
    int previous = 0;
    for (StageSpec stage : stages) {
      switch (stage.selection()) {
        case StageSelection.Percent p -> {
          if (!percentages) {
            throw new IllegalArgumentException(
                "stages are either all percentages or all groups, not a mix");
          }
          if (p.cumulativePercent() <= previous) {
            throw new IllegalArgumentException(
                "stage percentages are cumulative and strictly increasing, e.g. 1,10,50,100");
          }
          previous = p.cumulativePercent();
        }
        case StageSelection.Group g -> {
          if (percentages) {
            throw new IllegalArgumentException(
                "stages are either all percentages or all groups, not a mix");
          }
        }
      }
    }
    if (percentages && previous != 100) {
      throw new IllegalArgumentException("the last stage percentage is 100");
    }
    if (!(stages.getFirst().gate() instanceof Gate.None)) {
      throw new IllegalArgumentException(
          "the first stage has no gate (it starts when the rollout is started)");
    }
  }

  /** Whether the stages are explicit groups (else cumulative percentages). */
  public boolean grouped() {
    return stages.getFirst().selection() instanceof StageSelection.Group;
  }

  /**
   * For percentage stages: how many of {@code matched} devices each stage holds cumulatively
   * (ceil(matched · percent / 100), so every stage of a non-empty fleet has at least one device).
   */
  public long cumulativeSize(int stage, long matched) {
    if (!(stages.get(stage).selection() instanceof StageSelection.Percent p)) {
      throw new IllegalStateException("stage " + stage + " is a group");
    }
    return Math.ceilDiv(matched * p.cumulativePercent(), 100L);
  }

  /**
   * A rollout of {@code release} in {@code stages}, to be refined: by default it selects every
   * device of the product (empty filter), is a forced action without start time or maintenance
   * window, succeeds when a device runs the new version, times out silent devices after {@link
   * #DEFAULT_TIMEOUT}, retries nothing, takes no late joiners, runs no sequential test and asks no
   * consent.
   */
  public static Builder builder(ReleaseId release, List<StageSpec> stages) {
    return new Builder(release, stages);
  }

  /**
   * Builds a {@link RolloutSpec}; every part not set keeps the default named at {@link #builder}.
   */
  public static final class Builder {
    private final ReleaseId release;
    private final List<StageSpec> stages;
    private String filter = "";
    private ActionType type = ActionType.FORCED;
    private Optional<Instant> forcedAt = Optional.empty();
    private Optional<Instant> startAt = Optional.empty();
    private Optional<MaintenanceWindow> window = Optional.empty();
    private ConfirmationPolicy confirmation = ConfirmationPolicy.RUNNING_VERSION;
    private Duration inProgressTimeout = DEFAULT_TIMEOUT;
    private RetryPolicy retry = RetryPolicy.NONE;
    private boolean dynamic;
    private Optional<SequentialTestSpec> sequentialTest = Optional.empty();
    private boolean consent;

    private Builder(ReleaseId release, List<StageSpec> stages) {
      this.release = Objects.requireNonNull(release, "release");
      this.stages = List.copyOf(stages);
    }

    public Builder filter(String filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    public Builder type(ActionType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * When a timeforced rollout's actions become forced (only for {@link ActionType#TIMEFORCED}).
     */
    public Builder forcedAt(Optional<Instant> forcedAt) {
      this.forcedAt = Objects.requireNonNull(forcedAt, "forcedAt");
      return this;
    }

    public Builder startAt(Optional<Instant> startAt) {
      this.startAt = Objects.requireNonNull(startAt, "startAt");
      return this;
    }

    public Builder window(Optional<MaintenanceWindow> window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    public Builder confirmation(ConfirmationPolicy confirmation) {
      this.confirmation = Objects.requireNonNull(confirmation, "confirmation");
      return this;
    }

    public Builder inProgressTimeout(Duration inProgressTimeout) {
      this.inProgressTimeout = Objects.requireNonNull(inProgressTimeout, "inProgressTimeout");
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    public Builder dynamic(boolean dynamic) {
      this.dynamic = dynamic;
      return this;
    }

    public Builder sequentialTest(Optional<SequentialTestSpec> sequentialTest) {
      this.sequentialTest = Objects.requireNonNull(sequentialTest, "sequentialTest");
      return this;
    }

    public Builder consent(boolean consent) {
      this.consent = consent;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the parts do not make a valid rollout (see the record's
     *     checks)
     */
    public RolloutSpec build() {
      return new RolloutSpec(
          release,
          filter,
          stages,
          type,
          forcedAt,
          startAt,
          window,
          confirmation,
          inProgressTimeout,
          retry,
          dynamic,
          sequentialTest,
          consent);
    }
  }
}
