package dev.sluice.api.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Required;
import java.util.List;

/** {@code POST /api/v1/certifiers}: a certifier and its first public keys (TUF key objects). */
public record RegisterCertifierRequest(
    @Required String id, @Required String displayName, List<JsonNode> keys) {}
