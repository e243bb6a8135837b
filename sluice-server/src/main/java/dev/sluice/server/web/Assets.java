package dev.sluice.server.web;

import dev.sluice.core.SluiceException;
import dev.sluice.server.http.Call;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The portal's and console's static files (style sheet, scripts), read once from the classpath and
 * served by Sluice itself: nothing is loaded from another site, and everything works offline.
 */
final class Assets {
  private record Asset(String contentType, byte[] bytes, String etag) {}

  private final Map<String, Asset> assets;

  Assets() {
    assets =
        Map.of(
            "sluice.css", load("sluice.css", "text/css; charset=utf-8"),
            "console.js", load("console.js", "text/javascript; charset=utf-8"));
  }

  void serve(Call call) throws IOException {
    String name = call.path("file");
    Asset asset = assets.get(name);
    if (asset == null) {
      throw new SluiceException.NotFound("asset", name);
    }
    Pages.securityHeaders(call);
    call.header("ETag", asset.etag());
    if (call.header("If-None-Match").map(h -> h.contains(asset.etag())).orElse(false)) {
      call.exchange().setStatusCode(304);
      call.exchange().endExchange();
      return;
    }
    call.bytes(200, asset.contentType(), asset.bytes(), "public, max-age=300");
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = Assets.class.getResourceAsStream("/dev/sluice/server/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the server's resources");
      }
      byte[] bytes = in.readAllBytes();
      return new Asset(contentType, bytes, "\"" + Sha256.of(bytes).hex().substring(0, 32) + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
