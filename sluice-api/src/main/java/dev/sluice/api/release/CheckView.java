package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The last standards check of a release. The report stays a JSON tree: its SHA-256 is what the
 * check recorded, so it is passed on exactly as built.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckView(JsonNode report, String reportSha256, String checkedAt) {}
