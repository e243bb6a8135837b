package dev.sluice.core.action;

import dev.sluice.core.device.DevicePorts;
import dev.sluice.core.release.ReleaseRepository;

/**
 * What device actions (assignment, feedback, cancellation) read and write inside one transaction.
 * Implemented by the store; services declare the narrowest of these they need.
 */
public interface ActionPorts extends DevicePorts {
  /** Device actions and their feedback. */
  ActionRepository actions();

  /** Releases (an action installs one). */
  ReleaseRepository releases();
}
