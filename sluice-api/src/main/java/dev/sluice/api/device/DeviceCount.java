package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** How many devices a filter selects. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceCount(long count) {}
