package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.DdiSettings;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.product.ProductRepository;
import dev.sluice.core.standards.StandardsJson;
import dev.sluice.core.standards.StandardsSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Products in {@code products}, their ordered certifier lists in {@code product_certifiers} and
 * every version of their standards set in {@code product_standards} (the newest is current).
 */
final class JdbiProductRepository implements ProductRepository {
  private static final String ROW_COLUMNS =
      "name, description, threshold, max_artifact_size, created_at, security_updates_deferrable";

  private final Handle handle;

  JdbiProductRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Product product) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO products (name, description, threshold, max_artifact_size, created_at,
                  security_updates_deferrable)
                VALUES (:name, :description, :threshold, :maxArtifactSize, :createdAt,
                  :deferrable)
                ON CONFLICT DO NOTHING
                """)
            .bind("name", product.name().value())
            .bind("description", product.description())
            .bind("threshold", product.threshold())
            .bind("maxArtifactSize", product.maxArtifactSize())
            .bind("createdAt", Columns.millis(product.createdAt()))
            .bind("deferrable", product.securityUpdatesDeferrable())
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS, "product '" + product.name() + "' already exists");
    }
    StandardsSet standards = product.standards();
    handle
        .createUpdate(
            """
            INSERT INTO product_standards (product, version, set_json, created_at)
            VALUES (:product, :version, :setJson, :createdAt)
            """)
        .bind("product", product.name().value())
        .bind("version", standards.version())
        .bind("setJson", Columns.json(StandardsJson.toJson(standards)))
        .bind("createdAt", Columns.millis(product.createdAt()))
        .execute();
    insertCertifiers(product.name(), product.certifiers());
  }

  private void insertCertifiers(ProductName product, List<CertifierId> list) {
    PreparedBatch certifiers =
        handle.prepareBatch(
            """
            INSERT INTO product_certifiers (product, certifier_id, position)
            VALUES (:product, :certifier, :position)
            """);
    for (int i = 0; i < list.size(); i++) {
      certifiers
          .bind("product", product.value())
          .bind("certifier", list.get(i).value())
          .bind("position", i)
          .add();
    }
    certifiers.execute();
  }

  @Override
  public Optional<Product> find(ProductName name) {
    return handle
        .createQuery(
            """
            SELECT name, description, threshold, max_artifact_size, created_at,
              security_updates_deferrable
            FROM products WHERE name = :name
            """)
        .bind("name", name.value())
        .map((rs, ctx) -> row(rs))
        .findOne()
        .map(row -> row.toProduct(certifiersOf(name), currentStandards(name)));
  }

  @Override
  public List<Product> list() {
    return withCertifiersAndStandards(
        handle
            .createQuery("SELECT " + ROW_COLUMNS + " FROM products ORDER BY name")
            .map((rs, ctx) -> row(rs))
            .list());
  }

  @Override
  public List<Product> list(Optional<ProductName> after, int limit) {
    var query =
        handle
            .createQuery(
                "SELECT " + ROW_COLUMNS + " FROM products <where> ORDER BY name LIMIT :limit")
            .define("where", after.isPresent() ? "WHERE name > :after" : "")
            .bind("limit", limit);
    after.ifPresent(a -> query.bind("after", a.value()));
    return withCertifiersAndStandards(query.map((rs, ctx) -> row(rs)).list());
  }

  /** The products of these rows, with their certifier lists and current standards sets. */
  private List<Product> withCertifiersAndStandards(List<ProductRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> names = rows.stream().map(ProductRow::name).toList();
    Map<String, List<CertifierId>> certifiers = new HashMap<>();
    handle
        .createQuery(
            """
            SELECT product, certifier_id FROM product_certifiers WHERE product IN (<names>)
            ORDER BY product, position
            """)
        .bindList("names", names)
        .map((rs, ctx) -> Map.entry(rs.getString("product"), rs.getString("certifier_id")))
        .forEach(
            e ->
                certifiers
                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(new CertifierId(e.getValue())));
    Map<String, StandardsSet> standards = new HashMap<>();
    handle
        .createQuery(
            """
            SELECT s.product, s.set_json FROM product_standards s
            WHERE s.product IN (<names>)
              AND s.version = (SELECT max(v.version) FROM product_standards v
                               WHERE v.product = s.product)
            """)
        .bindList("names", names)
        .map((rs, ctx) -> Map.entry(rs.getString("product"), standards(rs)))
        .forEach(e -> standards.put(e.getKey(), e.getValue()));
    return rows.stream()
        .map(
            row ->
                row.toProduct(
                    certifiers.getOrDefault(row.name(), List.of()), standards.get(row.name())))
        .toList();
  }

  @Override
  public List<ProductName> certifiedBy(CertifierId certifier) {
    return handle
        .createQuery(
            """
            SELECT product FROM product_certifiers WHERE certifier_id = :certifier
            ORDER BY product
            """)
        .bind("certifier", certifier.value())
        .map((rs, ctx) -> new ProductName(rs.getString("product")))
        .list();
  }

  @Override
  public void updateCertification(ProductName name, List<CertifierId> certifiers, int threshold) {
    handle
        .createUpdate("UPDATE products SET threshold = :threshold WHERE name = :name")
        .bind("threshold", threshold)
        .bind("name", name.value())
        .execute();
    handle
        .createUpdate("DELETE FROM product_certifiers WHERE product = :product")
        .bind("product", name.value())
        .execute();
    insertCertifiers(name, certifiers);
  }

  @Override
  public void updateSettings(ProductName name, String description, long maxArtifactSize) {
    handle
        .createUpdate(
            """
            UPDATE products SET description = :description, max_artifact_size = :maxArtifactSize
            WHERE name = :name
            """)
        .bind("description", description)
        .bind("maxArtifactSize", maxArtifactSize)
        .bind("name", name.value())
        .execute();
  }

  @Override
  public void addStandards(ProductName name, StandardsSet standards, Instant at) {
    handle
        .createUpdate(
            """
            INSERT INTO product_standards (product, version, set_json, created_at)
            VALUES (:product, :version, :setJson, :createdAt)
            """)
        .bind("product", name.value())
        .bind("version", standards.version())
        .bind("setJson", Columns.json(StandardsJson.toJson(standards)))
        .bind("createdAt", Columns.millis(at))
        .execute();
  }

  @Override
  public void setSecurityUpdatesDeferrable(ProductName name, boolean deferrable) {
    handle
        .createUpdate(
            "UPDATE products SET security_updates_deferrable = :deferrable WHERE name = :name")
        .bind("deferrable", deferrable)
        .bind("name", name.value())
        .execute();
  }

  @Override
  public Optional<StandardsSet> standards(ProductName name, int version) {
    return handle
        .createQuery(
            """
            SELECT set_json FROM product_standards WHERE product = :product AND version = :version
            """)
        .bind("product", name.value())
        .bind("version", version)
        .map((rs, ctx) -> standards(rs))
        .findOne();
  }

  private List<CertifierId> certifiersOf(ProductName name) {
    return handle
        .createQuery(
            """
            SELECT certifier_id FROM product_certifiers
            WHERE product = :product ORDER BY position
            """)
        .bind("product", name.value())
        .map((rs, ctx) -> new CertifierId(rs.getString("certifier_id")))
        .list();
  }

  private StandardsSet currentStandards(ProductName name) {
    return handle
        .createQuery(
            """
            SELECT set_json FROM product_standards
            WHERE product = :product ORDER BY version DESC LIMIT 1
            """)
        .bind("product", name.value())
        .map((rs, ctx) -> standards(rs))
        .one();
  }

  private static StandardsSet standards(ResultSet rs) throws SQLException {
    return StandardsJson.setFromJson(Columns.json(rs, "set_json"));
  }

  private static ProductRow row(ResultSet rs) throws SQLException {
    return new ProductRow(
        rs.getString("name"),
        rs.getString("description"),
        rs.getInt("threshold"),
        rs.getLong("max_artifact_size"),
        Columns.instant(rs, "created_at"),
        rs.getBoolean("security_updates_deferrable"));
  }

  private record ProductRow(
      String name,
      String description,
      int threshold,
      long maxArtifactSize,
      Instant createdAt,
      boolean deferrable) {
    Product toProduct(List<CertifierId> certifiers, StandardsSet standards) {
      return new Product(
          new ProductName(name),
          description,
          certifiers,
          threshold,
          maxArtifactSize,
          standards,
          createdAt,
          deferrable);
    }
  }

  @Override
  public DdiSettings ddiSettings(ProductName name) {
    return handle
        .createQuery("SELECT ddi_part, ddi_consent FROM products WHERE name = :name")
        .bind("name", name.value())
        .map((rs, c) -> new DdiSettings(rs.getString("ddi_part"), rs.getInt("ddi_consent") != 0))
        .findOne()
        .orElse(DdiSettings.DEFAULTS);
  }

  @Override
  public boolean setDdiSettings(ProductName name, DdiSettings settings) {
    return handle
            .createUpdate(
                "UPDATE products SET ddi_part = :part, ddi_consent = :consent WHERE name = :name")
            .bind("part", settings.part())
            .bind("consent", settings.consent() ? 1 : 0)
            .bind("name", name.value())
            .execute()
        == 1;
  }
}
