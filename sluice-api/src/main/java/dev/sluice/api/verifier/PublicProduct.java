package dev.sluice.api.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.catalog.PolicyView;
import java.util.List;
import java.util.Optional;

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

  /**
   * {@code GET /api/v1/public/products}: one page, in name order.
   *
   * @param next the cursor of the following page ({@code ?after=}); absent on the last page
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listing(
      List<PublicProduct> products, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
    public Listing {
      products = List.copyOf(products);
    }

    public Listing(List<PublicProduct> products) {
      this(products, null);
    }

    public Optional<String> nextIfAny() {
      return Optional.ofNullable(next);
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
