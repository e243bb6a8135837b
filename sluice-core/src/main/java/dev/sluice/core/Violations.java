package dev.sluice.core;

import dev.sluice.api.WireViolation;
import dev.sluice.core.SluiceException.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects every problem of a request body before answering, so that one 400 names all of them (in
 * the problem's {@code violations}) instead of only the first. The wire's problems (unknown fields,
 * wrong types, missing fields, found while reading the body into its record) come first; then each
 * field is turned into its domain value by {@link #check}, which skips a field whose wire value was
 * already refused.
 */
public final class Violations {
  /** A problem and the sentence that says it in the problem's {@code detail}. */
  private record Found(Violation violation, String sentence) {}

  private final List<Found> found = new ArrayList<>();

  /** Records the problems found while reading the body. */
  public void addWire(List<WireViolation> wire) {
    wire.forEach(v -> add(new Violation(v.location(), v.message()), v.sentence()));
  }

  /**
   * The value {@code construction} builds from field {@code field} (a JSON pointer without its
   * leading slash: {@code endorsement/signature}), or {@code null} after recording why it could not
   * be built, or when the field, a part of it or the object holding it was already refused. Call
   * {@link #throwIfAny()} before using any result.
   */
  public <T> T check(String field, Supplier<T> construction) {
    String location = field.isEmpty() ? "" : "/" + field;
    if (found.stream()
        .map(f -> f.violation().location())
        .anyMatch(
            l ->
                l.equals(location)
                    || l.startsWith(location + "/")
                    || location.startsWith(l + "/"))) {
      return null;
    }
    try {
      return construction.get();
    } catch (SluiceException.InvalidInput e) {
      if (e.violations().isEmpty()) {
        add(new Violation(location, e.getMessage()), naming(field, e.getMessage()));
      } else {
        e.violations().forEach(v -> add(v, naming(field, e.getMessage())));
      }
    } catch (IllegalArgumentException e) {
      add(new Violation(location, e.getMessage()), naming(field, e.getMessage()));
    }
    return null;
  }

  /** The message, starting with the field's name if it does not already. */
  private static String naming(String field, String message) {
    String name = field.replace('/', '.');
    String text = message == null ? "is not valid" : message;
    return name.isEmpty() || text.startsWith(name) ? text : name + ": " + text;
  }

  /**
   * Says better what is wrong with field {@code field}, if it was refused with a message starting
   * with {@code was} (e.g. an unknown field that a person may well expect to be changeable here).
   */
  public void explain(String field, String was, String message) {
    String location = "/" + field;
    found.replaceAll(
        f ->
            f.violation().location().equals(location) && f.violation().message().startsWith(was)
                ? new Found(
                    new Violation(location, message), field.replace('/', '.') + " " + message)
                : f);
  }

  private void add(Violation violation, String sentence) {
    if (found.stream().noneMatch(f -> f.violation().equals(violation))) {
      found.add(new Found(violation, sentence));
    }
  }

  /**
   * @throws SluiceException.InvalidInput naming every recorded problem, if there is one
   */
  public void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    Set<String> sentences = new LinkedHashSet<>();
    found.forEach(f -> sentences.add(f.sentence()));
    String detail =
        found.size() == 1
            ? found.getFirst().sentence()
            : found.size() + " problems: " + String.join("; ", sentences);
    throw new SluiceException.InvalidInput(
        detail, found.stream().map(Found::violation).toList(), null);
  }
}
