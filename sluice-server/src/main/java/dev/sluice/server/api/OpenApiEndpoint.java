package dev.sluice.server.api;

import dev.sluice.server.http.Access;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3 document of the API at {@code /api/v1/openapi.json}, and the release
 * manifest schema under the path of its {@code $id} (both public). The OpenAPI document embeds the
 * same manifest schema.
 */
public final class OpenApiEndpoint {
  /**
   * The path of the manifest schema's {@code $id}
   * (https://sluice.dev/schemas/sluice.release-manifest/v2.schema.json).
   */
  public static final String MANIFEST_SCHEMA_PATH =
      "/schemas/sluice.release-manifest/v2.schema.json";

  public static final String MANIFEST_SCHEMA_RESOURCE =
      "/dev/sluice/core/manifest/release-manifest.schema.json";

  private final byte[] openApi = loadOpenApi();
  private final byte[] manifestSchema = resource(MANIFEST_SCHEMA_RESOURCE);

  public void register(Router router) {
    router.get(
        "/api/v1/openapi.json",
        Access.publicRead(),
        call -> call.bytes(200, "application/json", openApi));
    router.get(
        MANIFEST_SCHEMA_PATH,
        Access.publicRead(),
        call -> call.bytes(200, "application/schema+json", manifestSchema));
  }

  /** The OpenAPI 3 document describing this API. */
  public static byte[] loadOpenApi() {
    return resource("/dev/sluice/server/openapi.json");
  }

  private static byte[] resource(String name) {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the server's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
