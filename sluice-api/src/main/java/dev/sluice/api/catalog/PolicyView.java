package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A policy record as served: its sequence, its log index ({@code null} until sequenced), the leaf
 * hash and record digest, and the record itself. The record is a signed, logged document, so it
 * stays a tree whose canonical JSON is the log entry.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyView(
    String product,
    long sequence,
    Long logIndex,
    String leafHash,
    String recordSha256,
    JsonNode record) {}
