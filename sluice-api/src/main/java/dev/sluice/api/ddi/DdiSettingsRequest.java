package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code PUT /api/v1/products/{name}/ddi}: how the device API presents a product (the chunk part,
 * whether an owner's consent is needed); an absent field keeps its value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DdiSettingsRequest(String part, Boolean consent) {}
