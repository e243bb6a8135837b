package dev.sluice.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.ddi.DdiConfig;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Nginx;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented TLS set-up (docs/reverse-proxy.md): nginx terminates TLS in front of Sluice and
 * passes X-Forwarded-Proto/Host; Sluice runs with {@code --ddi-trust-forwarded}. Devices and
 * clients speak HTTPS only to nginx, and every link Sluice hands a device points back at HTTPS.
 */
class ReverseProxyTlsTest {
  @TempDir Path dir;
  private RunningServer sluice;
  private Nginx nginx;
  private Http https;

  @BeforeEach
  void start() throws Exception {
    Nginx.binary();
    Path cert = dir.resolve("tls/cert.pem");
    Path key = dir.resolve("tls/key.pem");
    selfSignedCertificate(cert, key);
    sluice =
        new RunningServer(
            dir.resolve("data"),
            Optional.empty(),
            Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)),
            config -> config.ddi(DdiConfig.builder().trustForwardedHeaders(true).build()));
    int port = Nginx.freePort();
    nginx =
        Nginx.start(
            dir.resolve("nginx"),
            port,
            """
              server {
                listen 127.0.0.1:%d ssl;
                ssl_certificate %s;
                ssl_certificate_key %s;
                ssl_protocols TLSv1.2 TLSv1.3;
                client_max_body_size 0;
                location / {
                  proxy_pass http://127.0.0.1:%d;
                  proxy_http_version 1.1;
                  proxy_request_buffering off;
                  proxy_buffering off;
                  proxy_set_header Host $host:$server_port;
                  proxy_set_header X-Forwarded-Proto https;
                  proxy_set_header X-Forwarded-Host $host:$server_port;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                }
              }
            """
                .formatted(port, cert, key, sluice.server.port()));
    https = new Http(URI.create("https://127.0.0.1:" + port), trusting(cert));
  }

  @AfterEach
  void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (sluice != null) {
      sluice.close();
    }
  }

  @Test
  void theManagementApiAnswersThroughTheProxyOverTls() {
    Http.Response health = https.get("/api/v1/health", null);
    assertThat(health.status()).as(nginx.logs()).isEqualTo(200);
    Http.Response whoami = https.get("/api/v1/whoami", sluice.pipeline.adminToken);
    assertThat(whoami.status()).isEqualTo(200);
    assertThat(whoami.json().get("role").asText()).isEqualTo("admin");
  }

  @Test
  void linksHandedToDevicesPointAtTheHttpsProxy() {
    Pipeline pipeline = new Pipeline(https, sluice.pipeline.adminToken);
    pipeline.certifiers(1);
    assertThat(pipeline.createProduct("acme-phone", 1, 64L << 20).status()).isEqualTo(201);
    ObjectNode device = Http.object();
    device.put("controller_id", "phone-1");
    device.put("product", "acme-phone");
    Http.Response registered = https.post("/api/v1/devices", pipeline.adminToken, device);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    String token = registered.json().get("token").asText();

    Http.Response poll =
        https.send(
            https
                .request("/DEFAULT/controller/v1/phone-1", null)
                .header("Authorization", "TargetToken " + token)
                .header("Accept", "application/hal+json")
                .GET()
                .build());

    assertThat(poll.status()).as(poll.text()).isEqualTo(200);
    assertThat(poll.json().at("/_links/configData/href").asText())
        .startsWith("https://127.0.0.1:" + nginx.port + "/DEFAULT/controller/v1/phone-1/");
  }

  @Test
  void largeArtifactsStreamThroughTheProxyBothWaysUnchanged() {
    Pipeline pipeline = new Pipeline(https, sluice.pipeline.adminToken);
    pipeline.certifiers(1);
    assertThat(pipeline.createProduct("acme-phone", 1, 64L << 20).status()).isEqualTo(201);
    byte[] image = new byte[6 << 20];
    new Random(7).nextBytes(image);
    Map<String, byte[]> files = Map.of("system.img", image);
    String release =
        pipeline.draft(
            "acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);

    Http.Response download =
        https.get("/api/v1/releases/" + release + "/artifacts/system.img", pipeline.adminToken);

    assertThat(download.status()).as(nginx.logs()).isEqualTo(200);
    assertThat(Sha256.of(download.body())).isEqualTo(Sha256.of(image));
  }

  private static void selfSignedCertificate(Path cert, Path key) throws Exception {
    Files.createDirectories(cert.getParent());
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=sluice-test",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost")
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
  }

  private static HttpClient trusting(Path certificate) throws Exception {
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(certificate)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("sluice-test", cert);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }
}
