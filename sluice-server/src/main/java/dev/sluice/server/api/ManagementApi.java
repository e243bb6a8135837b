package dev.sluice.server.api;

import dev.sluice.core.audit.AuditService;
import dev.sluice.core.auth.TokenService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.product.ProductService;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Registers the management API (/api/v1) on a router. */
public final class ManagementApi {
  private final CatalogEndpoints catalog;
  private final ReleaseEndpoints releases;
  private final AuditEndpoints audit;
  private final DeviceEndpoints devices;

  /**
   * The release manifest schema is served under the path of its {@code $id}
   * (https://sluice.dev/schemas/sluice.release-manifest/v2.schema.json); the OpenAPI document
   * embeds the same schema.
   */
  public static final String MANIFEST_SCHEMA_PATH =
      "/schemas/sluice.release-manifest/v2.schema.json";

  public static final String MANIFEST_SCHEMA_RESOURCE =
      "/dev/sluice/core/manifest/release-manifest.schema.json";

  private final byte[] openApi;
  private final byte[] manifestSchema;

  public ManagementApi(
      ProductService products,
      ReleaseService releaseService,
      CertificationService certification,
      AuditService auditService,
      TokenService tokens,
      DeviceService deviceService,
      PolicyService policies) {
    Authenticator auth = new Authenticator(tokens);
    this.catalog = new CatalogEndpoints(products, tokens, auth, policies);
    this.releases = new ReleaseEndpoints(releaseService, certification, products, auth, policies);
    this.audit = new AuditEndpoints(auditService, auth);
    this.devices = new DeviceEndpoints(deviceService, auth);
    this.openApi = loadOpenApi();
    this.manifestSchema = resource(MANIFEST_SCHEMA_RESOURCE);
  }

  public void register(Router router) {
    // /api/v1/health and /api/v1/ready: dev.sluice.server.health.HealthEndpoints.
    router.get("/api/v1/openapi.json", call -> call.bytes(200, "application/json", openApi));
    router.get(
        MANIFEST_SCHEMA_PATH, call -> call.bytes(200, "application/schema+json", manifestSchema));
    catalog.register(router);
    releases.register(router);
    audit.register(router);
    devices.register(router);
  }

  /** The OpenAPI 3 document describing this API. */
  public static byte[] loadOpenApi() {
    return resource("/dev/sluice/server/openapi.json");
  }

  private static byte[] resource(String name) {
    try (InputStream in = ManagementApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the server's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
