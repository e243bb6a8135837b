package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A product's standards set as a client reads it (the server writes the domain's own records, whose
 * shape this is).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StandardsSetView(String id, long version, List<Standard> standards) {
  public StandardsSetView {
    standards = standards == null ? List.of() : List.copyOf(standards);
  }

  /**
   * One standard: a CEL expression that must hold.
   *
   * @param offenders a CEL expression listing what breaks the rule, if given
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Standard(
      String id,
      String title,
      String severity,
      String expression,
      String message,
      @JsonInclude(JsonInclude.Include.NON_NULL) String offenders) {}
}
