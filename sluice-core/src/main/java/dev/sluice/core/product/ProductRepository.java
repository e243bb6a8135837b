package dev.sluice.core.product;

import dev.sluice.core.standards.StandardsSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Products, with their certifier list and their current standards set. */
public interface ProductRepository {

  /**
   * Stores a new product (with its standards set as version {@code standards().version()}).
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the name is taken
   */
  void insert(Product product);

  /** The product with its newest standards set version. */
  Optional<Product> find(ProductName name);

  /** All products, ordered by name. */
  List<Product> list();

  /** At most {@code limit} products in name order, those past {@code after} when it is given. */
  List<Product> list(Optional<ProductName> after, int limit);

  /** The products the certifier certifies, ordered by name. */
  List<ProductName> certifiedBy(CertifierId certifier);

  /** Replaces the product's certifier list and threshold (an endorsed policy change). */
  void updateCertification(ProductName name, List<CertifierId> certifiers, int threshold);

  /** Replaces the product's description and artifact size limit. */
  void updateSettings(ProductName name, String description, long maxArtifactSize);

  /** Stores a new version of the product's standards set, which becomes its current one. */
  void addStandards(ProductName name, StandardsSet standards, Instant at);

  /** Sets whether devices may defer the product's security updates. */
  void setSecurityUpdatesDeferrable(ProductName name, boolean deferrable);

  /** One version of the product's standards set. */
  Optional<StandardsSet> standards(ProductName name, int version);

  /** How the device API presents the product ({@link DdiSettings#DEFAULTS} if never set). */
  DdiSettings ddiSettings(ProductName name);

  /** Changes how the device API presents the product; false if there is no such product. */
  boolean setDdiSettings(ProductName name, DdiSettings settings);
}
