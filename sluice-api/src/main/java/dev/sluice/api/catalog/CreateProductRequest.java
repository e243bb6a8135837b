package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.FreeText;
import dev.sluice.api.Required;
import java.util.List;

/**
 * {@code POST /api/v1/products}: a new product. Absent optional fields take the server's defaults
 * (no description, no extra standards, the default artifact size limit, security updates
 * deferrable); {@code standards} are standard objects as the standards set defines them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateProductRequest(
    @Required String name,
    @FreeText String description,
    @Required List<String> certifiers,
    @Required Integer threshold,
    Long maxArtifactSize,
    List<JsonNode> standards,
    Boolean securityUpdatesDeferrable) {}
