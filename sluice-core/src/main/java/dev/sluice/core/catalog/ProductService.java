package dev.sluice.core.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
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
import dev.sluice.core.product.ProductUpdate;
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
import java.util.Optional;

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

  /** A page of the certifiers in id order from {@code after} on, with the cursor of the next. */
  public Page<Certifier> certifiers(Optional<CertifierId> after, int limit) {
    ListLimit.check(limit);
    List<Certifier> fetched = transactions.read(repos -> repos.certifiers().list(after, limit + 1));
    return Page.of(fetched, limit, c -> new KeyCursor(c.id().value()));
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

  /**
   * Changes what an admin may change directly about a product (audited with the changed fields). A
   * new standards list becomes the next version of the product's standards set; releases already
   * checked keep the version they were checked against.
   */
  public Product update(Principal actor, ProductName name, ProductUpdate update) {
    actor.require(Role.ADMIN);
    Instant now = clock.instant();
    Product current = product(name);
    Optional<StandardsSet> standards =
        update
            .extraStandards()
            .map(
                extra -> {
                  List<Standard> all = new ArrayList<>(DefaultStandards.get().standards());
                  all.addAll(extra);
                  StandardsSet set =
                      Validation.valid(
                          () ->
                              new StandardsSet(
                                  name.value(), current.standards().version() + 1, all));
                  try {
                    engine.compile(set);
                  } catch (StandardsException e) {
                    throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
                  }
                  return set;
                });
    return transactions.write(
        repos -> {
          Product before =
              repos
                  .products()
                  .find(name)
                  .orElseThrow(() -> new SluiceException.NotFound("product", name.value()));
          Product after =
              Validation.valid(
                  () ->
                      new Product(
                          before.name(),
                          update.description().orElse(before.description()),
                          before.certifiers(),
                          before.threshold(),
                          update.maxArtifactSize().orElse(before.maxArtifactSize()),
                          standards.orElse(before.standards()),
                          before.createdAt(),
                          update
                              .securityUpdatesDeferrable()
                              .orElse(before.securityUpdatesDeferrable())));
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          if (!after.description().equals(before.description())
              || after.maxArtifactSize() != before.maxArtifactSize()) {
            repos.products().updateSettings(name, after.description(), after.maxArtifactSize());
            if (!after.description().equals(before.description())) {
              detail.put("description", after.description());
            }
            if (after.maxArtifactSize() != before.maxArtifactSize()) {
              detail.put("max_artifact_size", after.maxArtifactSize());
            }
          }
          if (after.securityUpdatesDeferrable() != before.securityUpdatesDeferrable()) {
            repos.products().setSecurityUpdatesDeferrable(name, after.securityUpdatesDeferrable());
            detail.put("security_updates_deferrable", after.securityUpdatesDeferrable());
          }
          if (standards.isPresent()) {
            if (before.standards().version() != current.standards().version()) {
              throw new SluiceException.Conflict(
                  SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                  "the standards of product " + name + " changed meanwhile; read and try again");
            }
            repos.products().addStandards(name, standards.get(), now);
            detail.put("standards_version", standards.get().version());
          }
          if (!detail.isEmpty()) {
            audit(repos, actor, now, "product.updated", "product/" + name, detail);
          }
          return repos.products().find(name).orElseThrow();
        });
  }

  /**
   * Changes a certifier's display name (admin, audited). Its keys change only through endorsed key
   * changes ({@link PolicyService#addKey}, {@link PolicyService#revokeKey}).
   */
  public Certifier updateCertifier(Principal actor, CertifierId id, String displayName) {
    actor.require(Role.ADMIN);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          Certifier before = repos.certifiers().find(id).orElseThrow(() -> notFoundCertifier(id));
          Certifier after =
              Validation.valid(
                  () ->
                      new Certifier(
                          id, displayName, before.keys(), before.createdAt(), before.keyVersion()));
          if (!after.displayName().equals(before.displayName())) {
            repos.certifiers().setDisplayName(id, after.displayName());
            ObjectNode detail = JsonNodeFactory.instance.objectNode();
            detail.put("display_name", after.displayName());
            detail.put("previous_display_name", before.displayName());
            audit(repos, actor, now, "certifier.updated", "certifier/" + id, detail);
          }
          return repos.certifiers().find(id).orElseThrow();
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

  /** A page of the products in name order from {@code after} on, with the cursor of the next. */
  public Page<Product> products(Optional<ProductName> after, int limit) {
    ListLimit.check(limit);
    List<Product> fetched = transactions.read(repos -> repos.products().list(after, limit + 1));
    return Page.of(fetched, limit, p -> new KeyCursor(p.name().value()));
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
