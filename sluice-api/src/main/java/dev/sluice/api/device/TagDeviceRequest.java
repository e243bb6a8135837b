package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code POST /api/v1/devices/{controllerId}/tags}: tags to add and tags to remove. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagDeviceRequest(List<String> add, List<String> remove) {}
