package dev.sluice.core.product;

import dev.sluice.core.Text;
import dev.sluice.core.standards.StandardsSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A product (a device model or OS line): who must certify its releases (a threshold of its
 * certifiers), which standards its releases must meet, and how large an artifact may be. {@code
 * securityUpdatesDeferrable} tells devices whether an owner may defer a security update.
 */
public record Product(
    ProductName name,
    String description,
    List<CertifierId> certifiers,
    int threshold,
    long maxArtifactSize,
    StandardsSet standards,
    Instant createdAt,
    boolean securityUpdatesDeferrable) {

  /** The largest artifact size a product may allow: 64 GiB. */
  public static final long MAX_ARTIFACT_SIZE_CEILING = 64L << 30;

  public Product {
    Objects.requireNonNull(name, "name");
    description = Text.check("a product description", description, 2000, false, true);
    certifiers = List.copyOf(certifiers);
    if (certifiers.isEmpty()) {
      throw new IllegalArgumentException("a product needs at least one certifier");
    }
    if (certifiers.stream().distinct().count() != certifiers.size()) {
      throw new IllegalArgumentException("a product lists each certifier once");
    }
    if (threshold < 1 || threshold > certifiers.size()) {
      throw new IllegalArgumentException(
          "the sign-off threshold must be between 1 and the number of certifiers ("
              + certifiers.size()
              + "), got "
              + threshold);
    }
    if (maxArtifactSize < 1 || maxArtifactSize > MAX_ARTIFACT_SIZE_CEILING) {
      throw new IllegalArgumentException(
          "the artifact size limit must be between 1 byte and " + MAX_ARTIFACT_SIZE_CEILING);
    }
    Objects.requireNonNull(standards, "standards");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A product whose security updates may be deferred (the default). */
  public Product(
      ProductName name,
      String description,
      List<CertifierId> certifiers,
      int threshold,
      long maxArtifactSize,
      StandardsSet standards,
      Instant createdAt) {
    this(name, description, certifiers, threshold, maxArtifactSize, standards, createdAt, true);
  }

  public boolean isCertifier(CertifierId id) {
    return certifiers.contains(id);
  }
}
