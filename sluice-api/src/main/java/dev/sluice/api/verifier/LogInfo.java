package dev.sluice.api.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The transparency log's origin, its note verifier key, and where its checkpoint and tiles are. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogInfo(String origin, String verifierKey, String checkpoint, String tiles) {}
