package dev.sluice.core.rollout;

import dev.sluice.core.UnitOfWork;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.DeviceFilters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who takes part in a rollout: records the devices the filter matched at start (a page per
 * transaction) and cuts them into stages, and lets devices registered later join a dynamic rollout.
 */
final class Membership {
  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final Clock clock;

  Membership(UnitOfWork<? extends RolloutPorts> transactions, Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records the devices matched at start, a page of {@value RolloutEvaluator#COLLECT_BATCH} per
   * transaction; true once all are recorded.
   */
  boolean collect(Rollout r, DeviceBudget budget) {
    DeviceFilter filter = DeviceFilters.parse(r.spec().filter());
    List<DeviceFilter> groups = groupFilters(r);
    while (budget.left()) {
      boolean done =
          transactions.write(
              repos -> {
                RolloutRepository rollouts = repos.rollouts();
                RolloutProgress progress = rollouts.progress(r.id());
                RolloutRepository.MemberPage page =
                    r.spec().grouped()
                        ? recordGrouped(repos, r, filter, groups, progress)
                        : rollouts.recordPage(
                            r.id(),
                            r.product(),
                            filter,
                            progress.membershipAfter(),
                            RolloutEvaluator.COLLECT_BATCH,
                            clock.instant());
                boolean last = page.read() < RolloutEvaluator.COLLECT_BATCH;
                var after = page.last().isEmpty() ? progress.membershipAfter() : page.last();
                RolloutProgress next = progress.membershipAt(after, last);
                if (last) {
                  cutStages(rollouts, r);
                  next = next.joinedFrom(r.startedAt().orElse(clock.instant()));
                }
                rollouts.saveProgress(r.id(), next);
                return last;
              });
      budget.spend(RolloutEvaluator.COLLECT_BATCH);
      if (done) {
        return true;
      }
    }
    return false;
  }

  /** Group stages: each device of the page joins the first group whose filter it matches. */
  private RolloutRepository.MemberPage recordGrouped(
      RolloutPorts repos,
      Rollout r,
      DeviceFilter filter,
      List<DeviceFilter> groups,
      RolloutProgress progress) {
    List<Device> page =
        repos
            .devices()
            .list(
                Optional.of(r.product()),
                filter,
                progress.membershipAfter(),
                RolloutEvaluator.COLLECT_BATCH);
    List<RolloutDevice> members = new ArrayList<>();
    for (Device d : page) {
      int stage = groupOf(groups, d);
      if (stage >= 0) {
        members.add(member(r, d, stage));
      }
    }
    repos.rollouts().addMembers(members);
    return new RolloutRepository.MemberPage(
        page.size(), page.isEmpty() ? Optional.empty() : Optional.of(page.getLast().id()));
  }

  /** Percentage stages: the first ceil(n·p/100) members by rank, cumulatively. */
  private static void cutStages(RolloutRepository rollouts, Rollout r) {
    if (r.spec().grouped()) {
      return;
    }
    long matched = rollouts.memberCount(r.id());
    long before = 0;
    for (int i = 0; i < r.spec().stages().size(); i++) {
      long cumulative = r.spec().cumulativeSize(i, matched);
      rollouts.stageByRank(r.id(), i, cumulative - before);
      before = cumulative;
    }
  }

  /** Dynamic rollouts: devices registered since the last look join (into the current stage). */
  void join(Rollout r, DeviceBudget budget) {
    if (!r.spec().dynamic() || r.stage() < 0) {
      return;
    }
    DeviceFilter filter = DeviceFilters.parse(r.spec().filter());
    List<DeviceFilter> groups = groupFilters(r);
    while (budget.left()) {
      int n =
          transactions.write(
              repos -> {
                RolloutRepository rollouts = repos.rollouts();
                RolloutProgress progress = rollouts.progress(r.id());
                List<Device> page =
                    repos
                        .devices()
                        .registeredAfter(
                            Optional.of(r.product()),
                            filter,
                            progress.joinedSince().orElseThrow(),
                            progress.joinedAfter(),
                            RolloutEvaluator.BATCH);
                List<RolloutDevice> members = new ArrayList<>();
                for (Device d : page) {
                  int stage = r.spec().grouped() ? groupOf(groups, d) : r.stage();
                  if (stage >= 0) {
                    members.add(member(r, d, stage));
                  }
                }
                rollouts.addMembers(members);
                if (!page.isEmpty()) {
                  Device last = page.getLast();
                  rollouts.saveProgress(r.id(), progress.joinedAt(last.registeredAt(), last.id()));
                }
                return page.size();
              });
      budget.spend(n);
      if (n < RolloutEvaluator.BATCH) {
        return;
      }
    }
  }

  private List<DeviceFilter> groupFilters(Rollout r) {
    List<DeviceFilter> groups = new ArrayList<>();
    for (StageSpec stage : r.spec().stages()) {
      if (stage.selection() instanceof StageSelection.Group g) {
        groups.add(DeviceFilters.parse(g.filter()));
      }
    }
    return groups;
  }

  private static int groupOf(List<DeviceFilter> groups, Device device) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).matches(device)) {
        return i;
      }
    }
    return -1;
  }

  private RolloutDevice member(Rollout r, Device d, int stage) {
    return new RolloutDevice(
        r.id(),
        d.id(),
        StageMembership.rank(r.id(), d.id()),
        stage,
        MemberStatus.PENDING,
        Optional.empty(),
        0,
        false,
        clock.instant());
  }
}
