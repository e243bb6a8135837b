package dev.sluice.core.standards;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.sluice.core.standards.CheckReport.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A standards set whose expressions have been compiled, ready to check releases. Immutable and
 * thread-safe. Evaluation never throws: a standard that cannot be evaluated has outcome {@link
 * Outcome#ERROR}, which blocks the release when the standard's severity is {@link Severity#ERROR}.
 */
public final class CompiledStandards {
  /** At most this many offenders are listed per standard; the rest are counted. */
  public static final int MAX_OFFENDERS = 100;

  private static final int MAX_OFFENDER_LENGTH = 300;
  private static final int MAX_ERROR_LENGTH = 1000;

  record Entry(Standard standard, CelRuntime.Program expression, CelRuntime.Program offenders) {}

  private final StandardsSet set;
  private final List<Entry> entries;

  CompiledStandards(StandardsSet set, List<Entry> entries) {
    this.set = set;
    this.entries = List.copyOf(entries);
  }

  public StandardsSet standardsSet() {
    return set;
  }

  /** Checks a release: evaluates every standard, in order, against {@code facts}. */
  public CheckReport evaluate(ReleaseFacts facts) {
    Map<String, Object> variables = facts.variables();
    List<StandardResult> results = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      results.add(evaluate(entry, variables));
    }
    return CheckReport.of(set.id(), set.version(), results);
  }

  private static StandardResult evaluate(Entry entry, Map<String, Object> variables) {
    Standard s = entry.standard();
    Object value;
    try {
      value = entry.expression().eval(variables);
    } catch (CelEvaluationException | RuntimeException e) {
      return result(s, Outcome.ERROR, List.of(), errorText(e));
    }
    if (!(value instanceof Boolean passed)) {
      return result(
          s, Outcome.ERROR, List.of(), "the expression gave " + typeName(value) + ", not a bool");
    }
    if (passed) {
      return result(s, Outcome.PASS, List.of(), null);
    }
    if (entry.offenders() == null) {
      return result(s, Outcome.FAIL, List.of(), null);
    }
    try {
      Object offenders = entry.offenders().eval(variables);
      if (!(offenders instanceof Collection<?> list)) {
        return result(
            s,
            Outcome.FAIL,
            List.of(),
            "the offenders expression gave " + typeName(offenders) + ", not a list");
      }
      return result(s, Outcome.FAIL, offenderList(list), null);
    } catch (CelEvaluationException | RuntimeException e) {
      return result(s, Outcome.FAIL, List.of(), "offenders: " + errorText(e));
    } catch (NotAString e) {
      return result(s, Outcome.FAIL, List.of(), e.getMessage());
    }
  }

  private static List<String> offenderList(Collection<?> values) throws NotAString {
    Set<String> unique = new LinkedHashSet<>();
    for (Object o : values) {
      if (o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean) {
        unique.add(Checks.printable(String.valueOf(o), MAX_OFFENDER_LENGTH));
      } else {
        throw new NotAString(
            "the offenders expression gave a list holding " + typeName(o) + ", not strings");
      }
    }
    List<String> offenders = new ArrayList<>(unique);
    if (offenders.size() > MAX_OFFENDERS) {
      int more = offenders.size() - MAX_OFFENDERS;
      offenders = new ArrayList<>(offenders.subList(0, MAX_OFFENDERS));
      offenders.add("... and " + more + " more");
    }
    return offenders;
  }

  private static StandardResult result(
      Standard s, Outcome outcome, List<String> offenders, String errorDetail) {
    return new StandardResult(
        s.id(), s.title(), s.severity(), outcome, s.message(), offenders, errorDetail);
  }

  private static String errorText(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Checks.printable(message, MAX_ERROR_LENGTH);
  }

  private static String typeName(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof Collection<?>) {
      return "a list";
    }
    String type = value.getClass().getSimpleName();
    return ("AEIOUaeiou".indexOf(type.isEmpty() ? 'x' : type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /** An offender that is not a string or a scalar. */
  private static final class NotAString extends Exception {
    private static final long serialVersionUID = 1L;

    NotAString(String message) {
      super(message);
    }
  }
}
