package dev.sluice.server.api;

import dev.sluice.core.audit.AuditService;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.token.TokenService;
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
  private final byte[] openApi;

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
  }

  public void register(Router router) {
    // /api/v1/health and /api/v1/ready: dev.sluice.server.health.HealthEndpoints.
    router.get("/api/v1/openapi.json", call -> call.bytes(200, "application/json", openApi));
    catalog.register(router);
    releases.register(router);
    audit.register(router);
    devices.register(router);
  }

  /** The OpenAPI 3 document describing this API. */
  public static byte[] loadOpenApi() {
    try (InputStream in =
        ManagementApi.class.getResourceAsStream("/dev/sluice/server/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
