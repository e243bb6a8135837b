package dev.sluice.server.api;

import dev.sluice.server.http.Access;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI 3 document of the API at {@code /api/v1/openapi.json} (public). */
public final class OpenApiEndpoint {
  private final byte[] openApi = loadOpenApi();

  public void register(Router router) {
    router.get(
        "/api/v1/openapi.json",
        Access.publicRead(),
        call -> call.bytes(200, "application/json", openApi));
  }

  /** The OpenAPI 3 document describing this API. */
  public static byte[] loadOpenApi() {
    try (InputStream in =
        OpenApiEndpoint.class.getResourceAsStream("/dev/sluice/server/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
