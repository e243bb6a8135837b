package dev.sluice.core.rollout;

import dev.sluice.core.action.ActionPorts;

/**
 * What rollouts read and write inside one transaction: the rollout, its devices and counters, and
 * the actions it creates. Implemented by the store; services declare the narrowest of these they
 * need.
 */
public interface RolloutPorts extends ActionPorts {
  /** Rollouts, their stage counters and devices. */
  RolloutRepository rollouts();
}
