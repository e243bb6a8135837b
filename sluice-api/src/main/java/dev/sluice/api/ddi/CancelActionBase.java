package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A DDI cancel request ({@code .../cancelAction/{actionId}}): the action to stop. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record CancelActionBase(String id, CancelAction cancelAction) {

  /** {@code cancelAction.stopId}: the id of the action to stop. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  public record CancelAction(String stopId) {}
}
