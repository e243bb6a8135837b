package dev.sluice.api.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One audit event. Its {@code detail} is free-form per action, so it stays a JSON tree.
 *
 * @param seq its place in the audit trail, increasing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEventView(
    long seq, String at, String actor, String action, String subject, JsonNode detail) {}
