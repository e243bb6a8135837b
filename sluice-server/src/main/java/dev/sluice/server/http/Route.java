package dev.sluice.server.http;

/**
 * A registered operation: its HTTP method and path template, e.g. {@code /api/v1/releases/{id}}. A
 * prefix route (e.g. {@code /log/tile/}) answers every path that starts with its template.
 */
public record Route(String method, String template, boolean prefix) {
  public Route(String method, String template) {
    this(method, template, false);
  }
}
