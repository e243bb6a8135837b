package dev.sluice.core.rollout;

import java.util.Objects;

/** Which devices a stage takes: a cumulative share of the matched devices, or an explicit group. */
public sealed interface StageSelection {

  /**
   * The first {@code cumulativePercent} % of the devices matched at start, in the rollout's
   * reproducible random order (so stage 10 % includes stage 1 %'s devices).
   */
  record Percent(int cumulativePercent) implements StageSelection {
    public Percent {
      if (cumulativePercent < 1 || cumulativePercent > 100) {
        throw new IllegalArgumentException("a stage percentage is 1 to 100");
      }
    }
  }

  /** The matched devices that this filter selects and no earlier group did. */
  record Group(String filter) implements StageSelection {
    public Group {
      Objects.requireNonNull(filter, "filter");
      if (filter.isBlank()) {
        throw new IllegalArgumentException("a stage group's filter is not empty");
      }
    }
  }
}
