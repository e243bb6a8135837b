package dev.sluice.core.product;

import dev.sluice.core.Slug;

/** A product's unique name, a lowercase slug such as {@code acme-phone}. */
public record ProductName(String value) {
  public ProductName {
    Slug.check("a product name", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
