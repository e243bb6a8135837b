package dev.sluice.server.http;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects every problem of a request body before answering, so that one 400 names all of them (in
 * the problem's {@code violations}) instead of only the first.
 */
public final class Violations {
  private final List<Violation> found = new ArrayList<>();
  private final List<String> messages = new ArrayList<>();

  /**
   * The value {@code construction} builds from field {@code field}, or {@code null} after recording
   * why it could not be built. Call {@link #throwIfAny()} before using any result.
   */
  public <T> T check(String field, Supplier<T> construction) {
    try {
      return construction.get();
    } catch (SluiceException.InvalidInput e) {
      if (e.violations().isEmpty()) {
        found.add(new Violation("/" + field, e.getMessage()));
      } else {
        found.addAll(e.violations());
      }
      messages.add(e.getMessage());
    } catch (IllegalArgumentException e) {
      found.add(new Violation("/" + field, e.getMessage()));
      messages.add(e.getMessage());
    }
    return null;
  }

  /**
   * @throws SluiceException.InvalidInput naming every recorded problem, if there is one
   */
  public void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    String detail =
        messages.size() == 1
            ? messages.getFirst()
            : messages.size() + " problems: " + String.join("; ", messages);
    throw new SluiceException.InvalidInput(detail, found, null);
  }
}
