package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;

/**
 * {@code POST /api/v1/releases/{id}/signoffs}: a certifier's decision ({@code approve}, {@code
 * reject}, {@code block}) and its signature (base64) over the release statement whose SHA-256 it
 * names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignOffDecisionRequest(
    @Required String decision,
    @Required String keyId,
    @Required String signature,
    @Required String statementSha256,
    String reason) {}
