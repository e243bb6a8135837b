package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * The DDI poll answer ({@code GET /{tenant}/controller/v1/{controllerId}}), named as hawkBit names
 * it (camelCase): how long to sleep ({@code HH:MM:SS}) and the links to what waits.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record ControllerBase(
    Config config,
    @JsonProperty("_links") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, DdiLink> links) {
  /** Links keep the order they were given in (the server writes them in a fixed order). */
  public ControllerBase {
    links = DdiMaps.ordered(links);
  }

  /** {@code config.polling.sleep}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Config(Polling polling) {}

  /** The time between polls, {@code HH:MM:SS}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Polling(String sleep) {}
}
