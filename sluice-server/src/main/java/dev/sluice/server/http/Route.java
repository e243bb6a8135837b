package dev.sluice.server.http;

/**
 * A registered operation: its HTTP method and path template, e.g. {@code /api/v1/releases/{id}}.
 */
public record Route(String method, String template) {}
