package dev.sluice.api.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.sluice.api.catalog.PolicyView;
import java.util.List;

/** A product as the public sees it: its standards set and its current certification policy. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublicProduct(
    String name,
    String description,
    boolean securityUpdatesDeferrable,
    StandardsRef standards,
    PolicyView policy) {

  /** A standards set by id and version ({@code /api/v1/public/standards/{id}/{version}}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StandardsRef(String id, int version) {}

  /** {@code GET /api/v1/public/products}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listing(List<PublicProduct> products) {
    public Listing {
      products = List.copyOf(products);
    }
  }

  /** {@code GET /api/v1/public/products/{name}/policies}: every policy record, oldest first. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PolicyHistory(String product, List<PolicyView> policies) {
    public PolicyHistory {
      policies = List.copyOf(policies);
    }
  }
}
