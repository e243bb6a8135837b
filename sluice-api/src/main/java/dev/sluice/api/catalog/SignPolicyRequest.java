package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;

/**
 * {@code POST /api/v1/products/{name}/policy/pending/signatures}: a certifier's signature (base64)
 * over the pending policy statement whose SHA-256 it names; {@code certifier} is needed only when
 * an administrator records it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignPolicyRequest(
    String certifier,
    @Required String keyId,
    @Required String signature,
    @Required String statementSha256) {}
