package dev.sluice.cli.client;

/** What the server stored for one uploaded artifact. */
public record UploadedArtifact(String name, String sha256, long size) {}
