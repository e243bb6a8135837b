package dev.sluice.api.tuf;

import dev.sluice.api.Required;

/**
 * {@code POST /api/v1/tuf/products/{product}/pending/signature}: a TUF signature (key id, hex
 * signature) over the pending metadata whose SHA-256 it names.
 */
public record OfflineSignatureRequest(
    @Required String keyid, @Required String sig, @Required String signedSha256) {}
