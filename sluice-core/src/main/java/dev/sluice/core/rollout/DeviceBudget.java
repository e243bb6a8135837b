package dev.sluice.core.rollout;

/**
 * How many more devices one evaluation of a rollout may handle, so that one run stays bounded
 * however large the fleet; each step spends what it handled.
 */
final class DeviceBudget {
  private int remaining;

  DeviceBudget(int devices) {
    if (devices < 0) {
      throw new IllegalArgumentException("a budget cannot be negative");
    }
    this.remaining = devices;
  }

  /** Whether any devices are left to handle. */
  boolean left() {
    return remaining > 0;
  }

  /** Spends {@code devices} of the budget. */
  void spend(int devices) {
    remaining -= devices;
  }
}
