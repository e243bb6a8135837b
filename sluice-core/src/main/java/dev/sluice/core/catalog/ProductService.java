package dev.sluice.core.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.Validation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.policy.PolicyChange;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.StoredPolicy;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.NewProduct;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.standards.DefaultStandards;
import dev.sluice.core.standards.Standard;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.core.standards.StandardsException;
import dev.sluice.core.standards.StandardsSet;
import dev.sluice.trust.key.VerificationKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and reads products and certifiers. Only admins create them; every role may read. A
 * product's certification rule changes only through {@link PolicyService} (endorsed changes).
 */
public final class ProductService {
  private final UnitOfWork<? extends CatalogPorts> transactions;
  private final StandardsEngine engine;
  private final Clock clock;
  private final PolicyService policies;

  /**
   * @param policies appends each new product's first policy record to the transparency log
   */
  public ProductService(
      UnitOfWork<? extends CatalogPorts> transactions,
      StandardsEngine engine,
      Clock clock,
      PolicyService policies) {
    this.transactions = transactions;
    this.engine = engine;
    this.clock = clock;
    this.policies = policies;
  }

  public Certifier registerCertifier(
      Principal actor, CertifierId id, String displayName, List<VerificationKey> keys) {
    actor.require(Role.ADMIN);
    Instant now = clock.instant();
    Certifier certifier = Validation.valid(() -> new Certifier(id, displayName, keys, now));
    return transactions.write(
        repos -> {
          repos.certifiers().insert(certifier);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("display_name", certifier.displayName());
          certifier.keys().forEach(k -> detail.withArray("key_ids").add(k.keyId()));
          audit(repos, actor, now, "certifier.registered", "certifier/" + id, detail);
          return certifier;
        });
  }

  public Certifier certifier(CertifierId id) {
    return transactions
        .read(repos -> repos.certifiers().find(id))
        .orElseThrow(() -> notFoundCertifier(id));
  }

  public List<Certifier> certifiers() {
    return transactions.read(repos -> repos.certifiers().list());
  }

  public Product create(Principal actor, NewProduct spec) {
    actor.require(Role.ADMIN);
    List<Standard> standards = new ArrayList<>(DefaultStandards.get().standards());
    standards.addAll(spec.extraStandards());
    StandardsSet set = Validation.valid(() -> new StandardsSet(spec.name().value(), 1, standards));
    try {
      engine.compile(set);
    } catch (StandardsException e) {
      throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
    }
    Instant now = clock.instant();
    Product product =
        Validation.valid(
            () ->
                new Product(
                    spec.name(),
                    spec.description(),
                    spec.certifiers(),
                    spec.threshold(),
                    spec.maxArtifactSize(),
                    set,
                    now,
                    spec.securityUpdatesDeferrable()));
    return policies.write(
        transactions,
        repos -> {
          for (CertifierId c : product.certifiers()) {
            if (repos.certifiers().find(c).isEmpty()) {
              throw new SluiceException.InvalidInput(
                  "certifier '" + c + "' is not registered; register it first");
            }
          }
          repos.products().insert(product);
          StoredPolicy policy =
              policies.appendFirst(repos, product, PolicyChange.Kind.PRODUCT_CREATED);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("threshold", product.threshold());
          product.certifiers().forEach(c -> detail.withArray("certifiers").add(c.value()));
          detail.put("standards_version", set.version());
          detail.put("security_updates_deferrable", product.securityUpdatesDeferrable());
          detail.put("policy_leaf_hash", policy.leafHash().hex());
          audit(repos, actor, now, "product.created", "product/" + product.name(), detail);
          return product;
        });
  }

  /** Sets whether devices may defer the product's security updates (admin, audited). */
  public Product setSecurityUpdatesDeferrable(
      Principal actor, ProductName name, boolean deferrable) {
    actor.require(Role.ADMIN);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          Product before =
              repos
                  .products()
                  .find(name)
                  .orElseThrow(() -> new SluiceException.NotFound("product", name.value()));
          if (before.securityUpdatesDeferrable() != deferrable) {
            repos.products().setSecurityUpdatesDeferrable(name, deferrable);
            ObjectNode detail = JsonNodeFactory.instance.objectNode();
            detail.put("security_updates_deferrable", deferrable);
            audit(repos, actor, now, "product.updated", "product/" + name, detail);
          }
          return repos.products().find(name).orElseThrow();
        });
  }

  /** One version of a product's standards set (its id is the product's name). */
  public StandardsSet standards(ProductName name, int version) {
    return transactions
        .read(repos -> repos.products().standards(name, version))
        .orElseThrow(
            () -> new SluiceException.NotFound("standards set", name.value() + " v" + version));
  }

  public Product product(ProductName name) {
    return transactions
        .read(repos -> repos.products().find(name))
        .orElseThrow(() -> new SluiceException.NotFound("product", name.value()));
  }

  public List<Product> products() {
    return transactions.read(repos -> repos.products().list());
  }

  static void audit(
      CatalogPorts repos,
      Principal actor,
      Instant at,
      String action,
      String subject,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, subject, detail));
  }

  private static SluiceException.NotFound notFoundCertifier(CertifierId id) {
    return new SluiceException.NotFound("certifier", id.value());
  }
}
