package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;

/**
 * {@code POST /api/v1/devices/{controllerId}/actions}: a release assigned to one device. {@code
 * type} is {@code forced} (default), {@code soft}, {@code timeforced} (with {@code forced_at}) or
 * {@code downloadonly}; {@code confirmation} is {@code running-version} (default) or {@code
 * ddi-success}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignActionRequest(
    @Required String releaseId,
    String type,
    String forcedAt,
    String confirmation,
    MaintenanceWindowRequest maintenanceWindow,
    Boolean consent) {

  /** When a device may install: a cron schedule, a duration (ISO 8601) and a zone (UTC). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MaintenanceWindowRequest(
      @Required String schedule, @Required String duration, String zone) {}
}
