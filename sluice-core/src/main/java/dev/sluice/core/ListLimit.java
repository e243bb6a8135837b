package dev.sluice.core;

/**
 * The one page-size rule of every list the API answers (releases, rollouts, devices, a device's
 * actions, the audit trail, products, certifiers, tokens and the public lists): {@code limit} is 1
 * to {@link #MAX}, and {@link #DEFAULT} when a request gives none.
 */
public final class ListLimit {
  /** The most items one page holds. */
  public static final int MAX = 1000;

  /** The page size when a request names none. */
  public static final int DEFAULT = 100;

  private ListLimit() {}

  /**
   * Returns {@code limit} if it is 1 to {@link #MAX}.
   *
   * @throws SluiceException.InvalidInput otherwise, naming the range
   */
  public static int check(int limit) {
    if (limit < 1 || limit > MAX) {
      throw new SluiceException.InvalidInput(
          "limit must be between 1 and " + MAX + ", got " + limit);
    }
    return limit;
  }
}
