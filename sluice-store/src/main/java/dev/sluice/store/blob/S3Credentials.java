package dev.sluice.store.blob;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where the S3 blob store's credentials come from: a file of {@code access-key-id=} and {@code
 * secret-access-key=} lines, or else the AWS default chain (the environment's {@code
 * AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, {@code ~/.aws/credentials}, a container or
 * instance role). Never the command line, where other users of the machine could read them.
 */
public final class S3Credentials {
  private S3Credentials() {}

  /**
   * The credentials of {@code file} if given, else the default chain.
   *
   * @throws IllegalArgumentException when the file cannot be read or lacks a key
   */
  public static AwsCredentialsProvider from(Optional<Path> file) {
    if (file.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    Properties values = new Properties();
    try (Reader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
      values.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the blob store credentials file " + file.get() + ": " + e.getMessage(), e);
    }
    String id = values.getProperty("access-key-id", "").strip();
    String secret = values.getProperty("secret-access-key", "").strip();
    if (id.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "the blob store credentials file "
              + file.get()
              + " needs access-key-id=... and secret-access-key=... lines");
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
  }
}
