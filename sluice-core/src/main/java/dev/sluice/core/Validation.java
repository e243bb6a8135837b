package dev.sluice.core;

import java.util.List;
import java.util.function.Supplier;

/** Turns a value's construction-time validation failure into the domain's invalid-input error. */
public final class Validation {
  private Validation() {}

  /** Builds a value; an {@link IllegalArgumentException} from its validation becomes a 400. */
  public static <T> T valid(Supplier<T> construction) {
    try {
      return construction.get();
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
    }
  }
}
