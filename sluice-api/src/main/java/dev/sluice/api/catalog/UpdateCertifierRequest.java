package dev.sluice.api.catalog;

import dev.sluice.api.Required;

/** {@code PATCH /api/v1/certifiers/{id}}: the certifier's new display name. */
public record UpdateCertifierRequest(@Required String displayName) {}
