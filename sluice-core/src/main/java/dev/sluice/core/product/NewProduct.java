package dev.sluice.core.product;

import dev.sluice.core.standards.Standard;
import java.util.List;
import java.util.Objects;

/**
 * A request to create a product. Its standards set is Sluice's default set plus {@code
 * extraStandards}.
 */
public record NewProduct(
    ProductName name,
    String description,
    List<CertifierId> certifiers,
    int threshold,
    long maxArtifactSize,
    List<Standard> extraStandards,
    boolean securityUpdatesDeferrable) {
  public NewProduct {
    Objects.requireNonNull(name, "name");
    certifiers = List.copyOf(certifiers);
    extraStandards = List.copyOf(extraStandards);
  }

  /** A product whose security updates may be deferred (the default). */
  public NewProduct(
      ProductName name,
      String description,
      List<CertifierId> certifiers,
      int threshold,
      long maxArtifactSize,
      List<Standard> extraStandards) {
    this(name, description, certifiers, threshold, maxArtifactSize, extraStandards, true);
  }
}
