package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A product's certification rule (docs/records.md, {@code sluice.policy-statement/v1}): its
 * certifiers with their keys, how many of them must approve a release, its place in the product's
 * chain of policies and the change that led to it. Its canonical JSON is what certifiers sign to
 * endorse a {@code policy-changed}.
 */
public record PolicyStatement(
    ProductName product,
    long sequence,
    Optional<PolicyRef> previous,
    int threshold,
    List<PolicyCertifier> certifiers,
    PolicyChange change) {

  public static final String TYPE = "sluice.policy-statement/v1";

  public PolicyStatement {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(change, "change");
    if (sequence < 1) {
      throw new IllegalArgumentException("a policy's sequence starts at 1");
    }
    if ((sequence == 1) != previous.isEmpty()) {
      throw new IllegalArgumentException(
          "the first policy (sequence 1), and only it, has no previous policy");
    }
    if ((sequence == 1) != change.kind().isFirst()) {
      throw new IllegalArgumentException(
          "a '" + change.kind().wireName() + "' policy cannot have sequence " + sequence);
    }
    certifiers = certifiers.stream().sorted(Comparator.comparing(c -> c.id().value())).toList();
    if (certifiers.isEmpty()) {
      throw new IllegalArgumentException("a policy needs at least one certifier");
    }
    if (certifiers.stream().map(PolicyCertifier::id).distinct().count() != certifiers.size()) {
      throw new IllegalArgumentException("a policy lists each certifier once");
    }
    if (threshold < 1 || threshold > certifiers.size()) {
      throw new IllegalArgumentException(
          "the sign-off threshold must be between 1 and the number of certifiers ("
              + certifiers.size()
              + "), got "
              + threshold);
    }
    List<PolicyCertifier> listed = certifiers;
    change
        .certifier()
        .ifPresent(
            c -> {
              if (listed.stream().noneMatch(p -> p.id().equals(c))) {
                throw new IllegalArgumentException(
                    "the changed certifier '" + c + "' is not in the policy");
              }
            });
  }

  public Optional<PolicyCertifier> certifier(CertifierId id) {
    return certifiers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public boolean isCertifier(CertifierId id) {
    return certifier(id).isPresent();
  }

  public List<CertifierId> certifierIds() {
    return certifiers.stream().map(PolicyCertifier::id).toList();
  }

  /** The same rule with another change, position and set of certifiers or threshold. */
  public PolicyStatement next(
      PolicyRef previousRef,
      int newThreshold,
      List<PolicyCertifier> newCertifiers,
      PolicyChange c) {
    return new PolicyStatement(
        product, sequence + 1, Optional.of(previousRef), newThreshold, newCertifiers, c);
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", TYPE);
    node.put("product", product.value());
    node.put("sequence", sequence);
    if (previous.isPresent()) {
      node.set("previous", previous.get().toJson());
    } else {
      node.putNull("previous");
    }
    node.put("threshold", threshold);
    ArrayNode list = node.putArray("certifiers");
    certifiers.forEach(c -> list.add(c.toJson()));
    node.set("change", change.toJson());
    return node;
  }

  /** The bytes certifiers sign to endorse this policy. */
  public byte[] canonicalBytes() {
    return CanonicalJson.encode(toJson());
  }

  public Sha256 sha256() {
    return Sha256.of(canonicalBytes());
  }

  /**
   * Reads a statement.
   *
   * @throws IllegalArgumentException if it is not a valid {@value #TYPE}
   */
  public static PolicyStatement fromJson(JsonNode node) {
    PolicyJson.only(
        node,
        Set.of("type", "product", "sequence", "previous", "threshold", "certifiers", "change"));
    if (!TYPE.equals(PolicyJson.text(node, "type"))) {
      throw new IllegalArgumentException("a policy statement's type is " + TYPE);
    }
    JsonNode previous = PolicyJson.field(node, "previous");
    List<PolicyCertifier> certifiers = new ArrayList<>();
    for (JsonNode c : PolicyJson.array(node, "certifiers")) {
      certifiers.add(PolicyCertifier.fromJson(c));
    }
    return new PolicyStatement(
        new ProductName(PolicyJson.text(node, "product")),
        PolicyJson.integer(node, "sequence"),
        previous.isNull() ? Optional.empty() : Optional.of(PolicyRef.fromJson(previous)),
        PolicyJson.smallInteger(node, "threshold"),
        certifiers,
        PolicyChange.fromJson(PolicyJson.field(node, "change")));
  }
}
