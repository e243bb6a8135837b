package dev.sluice.api.tuf;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Required;

/**
 * {@code PUT /api/v1/tuf/products/{product}/key}: {@code offline} with the public key (a TUF key
 * object) that signs the product's targets from now on, or {@code online} (the server's key).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetsKeyRequest(@Required String signing, JsonNode key) {}
