package dev.sluice.server.testing.swupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway self-signed certificate and its private key (PEM files made by {@code openssl req
 * -x509}), used to CMS-sign {@code sw-description} the way SWUpdate verifies it ({@code swupdate -k
 * cert.pem}). Test material only: the key is unencrypted on disk.
 */
public final class SigningCertificate {
  private final Path dir;
  private final Path certificate;
  private final Path privateKey;

  private SigningCertificate(Path dir) {
    this.dir = dir;
    this.certificate = dir.resolve("cert.pem");
    this.privateKey = dir.resolve("key.pem");
  }

  /**
   * Generates a new RSA-2048 key and a self-signed certificate for {@code commonName} in {@code
   * dir}.
   */
  public static SigningCertificate generate(Path dir, String commonName) {
    if (commonName == null || !commonName.matches("[A-Za-z0-9 ._-]{1,64}")) {
      throw new IllegalArgumentException(
          "a common name is 1-64 letters, digits, ' ', '.', '_', '-'");
    }
    SigningCertificate cert = new SigningCertificate(createDirectories(dir));
    ExternalCommand.runOrFail(
        List.of(
            Tools.openssl().toString(),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            cert.privateKey.toString(),
            "-out",
            cert.certificate.toString(),
            "-days",
            "2",
            "-subj",
            "/CN=" + commonName),
        dir,
        "openssl-req");
    return cert;
  }

  /** The certificate (PEM) to pass to {@code swupdate -k}. */
  public Path certificate() {
    return certificate;
  }

  /**
   * A detached CMS signature (DER) over {@code content}, as SWUpdate expects in {@code
   * sw-description.sig}: binary content, no S/MIME capabilities.
   */
  public byte[] signCms(byte[] content) {
    try {
      Path in = Files.createTempFile(dir, "content", ".bin");
      Path sig = Files.createTempFile(dir, "content", ".sig");
      Files.write(in, content);
      ExternalCommand.runOrFail(
          List.of(
              Tools.openssl().toString(),
              "cms",
              "-sign",
              "-in",
              in.toString(),
              "-out",
              sig.toString(),
              "-signer",
              certificate.toString(),
              "-inkey",
              privateKey.toString(),
              "-outform",
              "DER",
              "-nosmimecap",
              "-binary"),
          dir,
          "openssl-cms");
      byte[] signature = Files.readAllBytes(sig);
      Files.delete(in);
      Files.delete(sig);
      return signature;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
