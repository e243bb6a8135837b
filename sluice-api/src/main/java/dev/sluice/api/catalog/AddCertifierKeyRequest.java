package dev.sluice.api.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Required;

/** {@code POST /api/v1/certifiers/{id}/keys}: a new key (TUF key object), endorsed. */
public record AddCertifierKeyRequest(@Required JsonNode key, @Required Endorsement endorsement) {}
