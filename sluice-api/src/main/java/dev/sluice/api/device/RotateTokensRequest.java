package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/v1/devices/tokens/rotate}: the devices (filter, product) whose tokens change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotateTokensRequest(String filter, String product) {}
