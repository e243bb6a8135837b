package dev.sluice.agent;

import dev.sluice.trust.tuf.RemoteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** A Sluice server's {@code /tuf/} as a TUF {@link RemoteRepository}; everything is untrusted. */
final class HttpTufRepository implements RemoteRepository {
  private final AgentHttp http;
  private final URI base;

  HttpTufRepository(AgentHttp http, URI server) {
    this.http = http;
    this.base = URI.create(server + "/tuf/");
  }

  @Override
  public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
    AgentHttp.Response r = http.get(base.resolve(fileName), null, maxLength);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      throw new ServerException(
          "GET /tuf/" + fileName + " answered " + r.status(), r.status(), null);
    }
    return Optional.of(r.body());
  }

  @Override
  public byte[] fetchTarget(String fileName, long length) {
    AgentHttp.Response r = http.get(base.resolve("targets/" + fileName), null, length + 1);
    if (r.status() != 200) {
      throw new ServerException("GET /tuf/targets/" + fileName + " answered " + r.status());
    }
    return r.body();
  }

  @Override
  public InputStream openTarget(String fileName, long length) throws IOException {
    HttpResponse<InputStream> r =
        http.stream(HttpRequest.newBuilder(base.resolve("targets/" + fileName)).GET().build());
    if (r.statusCode() != 200) {
      r.body().close();
      throw new IOException("GET /tuf/targets/" + fileName + " answered " + r.statusCode());
    }
    return r.body();
  }
}
