package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.FreeText;
import java.util.List;

/**
 * {@code PATCH /api/v1/products/{name}/settings}: the settings to change; an absent field keeps its
 * value. Certifiers and threshold are not settings (they change by an endorsed policy proposal).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateProductRequest(
    @FreeText String description,
    Long maxArtifactSize,
    List<JsonNode> standards,
    Boolean securityUpdatesDeferrable) {
  /** Fields a product has that this request may not change, and why. */
  public static final String NOT_SETTINGS =
      "is not a setting: a product's certifiers and threshold change only by an endorsed policy"
          + " proposal (sluice policy propose)";
}
