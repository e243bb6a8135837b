package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An uploaded artifact: its name as declared in the manifest, its digest and size in bytes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArtifactView(String name, String sha256, long size) {}
