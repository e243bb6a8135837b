package dev.sluice.api.catalog;

import dev.sluice.api.Required;

/** {@code POST /api/v1/certifiers/{id}/keys/{keyId}/revoke}: the endorsement of the revocation. */
public record RevokeCertifierKeyRequest(@Required Endorsement endorsement) {}
