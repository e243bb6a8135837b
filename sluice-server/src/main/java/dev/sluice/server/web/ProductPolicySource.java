package dev.sluice.server.web;

import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import java.util.ArrayList;
import java.util.List;

/** The policy as the release's product defines it today (its certifiers, threshold and keys). */
public final class ProductPolicySource implements PolicySource {
  private final ProductService products;

  public ProductPolicySource(ProductService products) {
    this.products = products;
  }

  @Override
  public Policy policyOf(Release release) {
    Product product = products.product(release.product());
    List<Certifier> certifiers = new ArrayList<>();
    for (CertifierId id : product.certifiers()) {
      certifiers.add(products.certifier(id));
    }
    return new Policy(
        "the current certifier set of product " + product.name().value(),
        product.threshold(),
        certifiers);
  }
}
