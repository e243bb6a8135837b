package dev.sluice.store.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy (the S3 protocol, with its signature checks) over jclouds'
 * in-memory blob store, on a free loopback port, with one bucket.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String BUCKET = "sluice-test";
  private static final String ACCESS_KEY = "sluice-test-access";
  private static final String SECRET_KEY = "sluice-test-secret-key-0123456789";

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final URI endpoint;

  private S3TestServer(BlobStoreContext context, S3Proxy proxy, URI endpoint) {
    this.context = context;
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts a server with an empty bucket {@value #BUCKET}. */
  public static S3TestServer start() throws Exception {
    Properties properties = new Properties();
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    // S3Proxy starts its Jetty asynchronously and offers no future to wait on: poll its state,
    // for a bounded time (a test fails rather than hangs).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!proxy.getState().equals("STARTED")) {
      if (proxy.getState().equals("FAILED") || System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(5);
    }
    context.getBlobStore().createContainerInLocation(null, BUCKET);
    return new S3TestServer(context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The bucket with this key prefix ({@code ""} or ending in {@code /}). */
  public S3Location location(String prefix) {
    return new S3Location(BUCKET, prefix, Optional.of(endpoint), "us-east-1", true);
  }

  /** The blob store URL a server is configured with. */
  public String url(String prefix) {
    return "s3://" + BUCKET + "/" + prefix + "?endpoint=" + endpoint + "&region=us-east-1";
  }

  public AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** Writes the credentials as a server reads them from its credentials file. */
  public Path writeCredentialsFile(Path file) throws IOException {
    Files.writeString(
        file,
        "access-key-id=" + ACCESS_KEY + "\nsecret-access-key=" + SECRET_KEY + "\n",
        StandardCharsets.UTF_8);
    return file;
  }

  /** A plain S3 client on this server, to look into the bucket as an operator would. */
  public S3Client client() {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    } finally {
      context.close();
    }
  }
}
