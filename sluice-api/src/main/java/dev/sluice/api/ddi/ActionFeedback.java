package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a device reports about an action ({@code POST .../deploymentBase/{id}/feedback} and {@code
 * .../cancelAction/{id}/feedback}), in hawkBit's current form. The server reads it leniently (DDI
 * clients of different ages send different extras); this is what Sluice's agent sends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionFeedback(String id, Status status) {

  /**
   * {@code execution}: proceeding, scheduled, resumed, canceled, rejected, closed, downloading,
   * downloaded.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(String execution, Result result, List<String> details) {
    public Status {
      details = details == null ? List.of() : List.copyOf(details);
    }
  }

  /** {@code finished}: success, failure or none; {@code progress} optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(String finished, Progress progress) {}

  /** {@code cnt} of {@code of} steps done. */
  public record Progress(int cnt, int of) {}
}
