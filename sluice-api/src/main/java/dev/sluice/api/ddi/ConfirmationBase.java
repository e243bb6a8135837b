package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A DDI confirmation request ({@code .../confirmationBase/{actionId}}): the deployment the device's
 * owner is asked to accept, under {@code confirmation} (hawkBit's shape).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record ConfirmationBase(
    String id,
    DeploymentBase.Deployment confirmation,
    @JsonInclude(JsonInclude.Include.NON_NULL) ActionHistory actionHistory) {}
