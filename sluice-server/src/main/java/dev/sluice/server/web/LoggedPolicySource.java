package dev.sluice.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.policy.PolicyCertifier;
import dev.sluice.core.policy.PolicyRef;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyService.LoggedPolicy;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductService;
import dev.sluice.core.publication.Publication;
import dev.sluice.core.publication.ReleaseRecord;
import dev.sluice.core.release.Release;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The policy a release was certified under, as the transparency log holds it: a published release's
 * record names its policy record (log index and SHA-256, docs/records.md), and that exact record is
 * shown, even after the product's policy changed. A release not published yet is shown with the
 * product's current policy, the one it will be certified under; a release whose record predates
 * logged policies likewise, saying so.
 */
public final class LoggedPolicySource implements PolicySource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PolicyService policies;
  private final ProductService products;
  private final Transactions transactions;

  public LoggedPolicySource(
      PolicyService policies, ProductService products, Transactions transactions) {
    this.policies = policies;
    this.products = products;
    this.transactions = transactions;
  }

  @Override
  public Policy policyOf(Release release) {
    Optional<Publication> publication =
        transactions.read(
            repos -> repos.publications().find(release.id(), ReleaseRecord.Kind.RELEASE));
    List<LoggedPolicy> history = policies.loggedHistory(release.product());
    LoggedPolicy current = history.getLast();
    if (publication.isEmpty()) {
      return policy(
          current, "the product's current policy, record " + describe(current) + "; not published");
    }
    Optional<PolicyRef> named = namedPolicy(publication.get().record());
    if (named.isEmpty()) {
      return policy(
          current,
          "the product's current policy, record "
              + describe(current)
              + "; the release's record predates logged policies");
    }
    PolicyRef ref = named.get();
    return history.stream()
        .filter(p -> p.policy().ref().filter(ref::equals).isPresent())
        .findFirst()
        .map(p -> policy(p, "the policy record " + describe(p) + " the release's record names"))
        .orElseGet(
            () ->
                policy(
                    current,
                    "the product's current policy; the policy record at log index "
                        + ref.logIndex()
                        + " the release's record names is not stored here"));
  }

  private Policy policy(LoggedPolicy logged, String source) {
    PolicyStatement statement = logged.policy().statement();
    List<Certifier> certifiers = new ArrayList<>();
    for (PolicyCertifier c : statement.certifiers()) {
      Certifier known = products.certifier(c.id());
      certifiers.add(
          new Certifier(c.id(), known.displayName(), c.keys(), known.createdAt(), c.version()));
    }
    return new Policy(source, statement.threshold(), certifiers);
  }

  private static String describe(LoggedPolicy p) {
    return "#"
        + p.policy().sequence()
        + p.provableIndex().map(i -> " at log index " + i).orElse(" (not in the log yet)");
  }

  /** The {@code policy} a release record names, if its format has one (v2). */
  private static Optional<PolicyRef> namedPolicy(byte[] record) {
    try {
      JsonNode policy = JSON.readTree(record).path("policy");
      if (!policy.isObject()) {
        return Optional.empty();
      }
      return Optional.of(
          new PolicyRef(
              policy.path("log_index").asLong(-1),
              Sha256.parse(policy.path("record_sha256").asText())));
    } catch (IOException | IllegalArgumentException e) {
      // Records are written by this server as canonical JSON: anything else is damage.
      throw new IllegalStateException("a stored release record is not readable", e);
    }
  }
}
