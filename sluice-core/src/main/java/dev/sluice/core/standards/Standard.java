package dev.sluice.core.standards;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule a release must meet: a CEL {@code expression} over the release's facts (see {@link
 * ReleaseFacts}) that must evaluate to {@code true}. When it is false, the report shows {@code
 * message} and, if the optional {@code offenders} CEL expression is given, the list of strings it
 * evaluates to (e.g. the components without a license).
 *
 * @param id a slug, unique within its set
 * @param offenders a CEL expression evaluating to a list of strings, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Standard(
    String id,
    String title,
    Severity severity,
    String expression,
    String message,
    String offenders) {
  public static final int MAX_TITLE_LENGTH = 200;
  public static final int MAX_MESSAGE_LENGTH = 1000;
  public static final int MAX_EXPRESSION_LENGTH = 8192;

  public Standard {
    Checks.slug(id, "a standard's id");
    Checks.line(title, "the title of standard " + id, MAX_TITLE_LENGTH);
    Objects.requireNonNull(severity, () -> "the severity of standard " + id + " is required");
    Checks.source(expression, "the expression of standard " + id, MAX_EXPRESSION_LENGTH);
    Checks.line(message, "the message of standard " + id, MAX_MESSAGE_LENGTH);
    if (offenders != null) {
      Checks.source(offenders, "the offenders expression of standard " + id, MAX_EXPRESSION_LENGTH);
    }
  }

  /** A standard without an offenders expression. */
  public static Standard of(
      String id, String title, Severity severity, String expression, String message) {
    return new Standard(id, title, severity, expression, message, null);
  }

  public Optional<String> offendersExpression() {
    return Optional.ofNullable(offenders);
  }
}
