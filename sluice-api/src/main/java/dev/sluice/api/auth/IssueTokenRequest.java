package dev.sluice.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;

/**
 * {@code POST /api/v1/tokens}: an API token's role and label; a certifier token names its
 * certifier, a token can be limited to one product, and {@code expires_at} is an RFC 3339 time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssueTokenRequest(
    @Required String role,
    @Required String label,
    String certifier,
    String product,
    String expiresAt) {}
