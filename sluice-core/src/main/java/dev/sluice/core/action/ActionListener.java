package dev.sluice.core.action;

/**
 * Told of every action status change, inside the transaction that makes it, so that whoever counts
 * outcomes (rollouts keep per-stage counters) stays exactly in step with the actions.
 *
 * @param <R> the repositories the listener needs (at least the actions')
 */
@FunctionalInterface
public interface ActionListener<R extends ActionPorts> {

  /** Called after {@code before} became {@code after} (same id), in the same transaction. */
  void statusChanged(R repos, Action before, Action after);

  /** A listener that does nothing. */
  ActionListener<ActionPorts> NONE = (repos, before, after) -> {};
}
