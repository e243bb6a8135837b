package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server refused a request and said why in an RFC 9457 problem document. The problem is kept
 * whole; the accessors read its standard members.
 */
public final class ApiException extends CliException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient JsonNode problem;

  public ApiException(int status, JsonNode problem) {
    super(summary(status, problem));
    this.status = status;
    this.problem = problem;
  }

  /** One entry of the problem's {@code violations}. */
  public record Violation(String location, String message) {}

  public int status() {
    return status;
  }

  /** The problem document as the server sent it. */
  public JsonNode problem() {
    return problem;
  }

  public String title() {
    return problem.path("title").asText("HTTP " + status);
  }

  public Optional<String> detail() {
    String detail = problem.path("detail").asText("");
    return detail.isBlank() ? Optional.empty() : Optional.of(detail);
  }

  /** The kind of conflict for a 409 ({@code already_exists}, {@code stale_statement}, ...). */
  public Optional<String> conflict() {
    JsonNode conflict = problem.get("conflict");
    return conflict != null && conflict.isTextual()
        ? Optional.of(conflict.asText())
        : Optional.empty();
  }

  public List<Violation> violations() {
    List<Violation> violations = new ArrayList<>();
    for (JsonNode v : problem.path("violations")) {
      violations.add(new Violation(v.path("location").asText(""), v.path("message").asText("")));
    }
    return List.copyOf(violations);
  }

  private static String summary(int status, JsonNode problem) {
    String title = problem.path("title").asText("HTTP " + status);
    String detail = problem.path("detail").asText("");
    return status + " " + title + (detail.isBlank() ? "" : ": " + detail);
  }
}
