package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException;
import dev.sluice.core.product.ProductName;
import java.util.Set;

/** The repository's role names and target paths. */
public final class TufRoles {
  public static final String ROOT = "root";
  public static final String TARGETS = "targets";
  public static final String SNAPSHOT = "snapshot";
  public static final String TIMESTAMP = "timestamp";
  static final Set<String> TOP_LEVEL = Set.of(ROOT, TARGETS, SNAPSHOT, TIMESTAMP);

  private TufRoles() {}

  /**
   * The TUF role name of a product's delegated targets.
   *
   * @throws SluiceException.InvalidInput if the product's name is a top-level role's
   */
  public static String roleName(ProductName product) {
    if (TOP_LEVEL.contains(product.value())) {
      throw new SluiceException.InvalidInput(
          "a product named '" + product + "' cannot be published: the name is a TUF role");
    }
    return product.value();
  }

  /** The target path of an artifact: {@code <product>/<version>/<name>}. */
  public static String targetPath(ProductName product, String version, String name) {
    return product.value() + "/" + version + "/" + name;
  }
}
