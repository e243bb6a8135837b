package dev.sluice.core.action;

import dev.sluice.core.port.Repositories;

/**
 * Told of every action status change, inside the transaction that makes it, so that whoever counts
 * outcomes (rollouts keep per-stage counters) stays exactly in step with the actions.
 */
@FunctionalInterface
public interface ActionListener {

  /** Called after {@code before} became {@code after} (same id), in the same transaction. */
  void statusChanged(Repositories repos, Action before, Action after);

  ActionListener NONE = (repos, before, after) -> {};
}
