package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Every product. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductList(List<ProductView> products) {
  public ProductList {
    products = products == null ? List.of() : List.copyOf(products);
  }
}
