package dev.sluice.core.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A proposed change of a product's certifier set or threshold, waiting for the endorsements of the
 * current policy's threshold of certifiers (signatures over the proposed statement).
 */
public record PendingPolicy(
    PolicyStatement statement,
    String proposedBy,
    Instant proposedAt,
    List<Endorsement> signatures) {
  public PendingPolicy {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(proposedBy, "proposedBy");
    Objects.requireNonNull(proposedAt, "proposedAt");
    signatures = List.copyOf(signatures);
    if (statement.change().kind() != PolicyChange.Kind.POLICY_CHANGED) {
      throw new IllegalArgumentException("only a policy-changed statement awaits endorsement");
    }
    if (signatures.stream().anyMatch(s -> s.signs() != Endorsement.Signs.POLICY)) {
      throw new IllegalArgumentException("a pending policy collects signatures over the policy");
    }
  }
}
