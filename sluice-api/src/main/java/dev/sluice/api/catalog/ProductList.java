package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of products, in name order.
 *
 * @param next the cursor of the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductList(
    List<ProductView> products, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public ProductList {
    products = products == null ? List.of() : List.copyOf(products);
  }

  public ProductList(List<ProductView> products) {
    this(products, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
