package dev.sluice.server.http;

import java.util.List;
import java.util.Set;

/**
 * A registered operation: its HTTP method and path template (e.g. {@code /api/v1/releases/{id}}),
 * who may call it, the request media types it consumes, the response media types it produces, and
 * the query parameters it accepts ({@code anyQuery}: also others, for the device API's clients). A
 * prefix route (e.g. {@code /log/tile/}) answers every path that starts with its template.
 */
public record Route(
    String method,
    String template,
    boolean prefix,
    Access access,
    List<String> consumes,
    List<String> produces,
    Set<String> query,
    boolean anyQuery) {
  public Route {
    consumes = List.copyOf(consumes);
    produces = List.copyOf(produces);
    query = Set.copyOf(query);
  }
}
