package dev.sluice.core.product;

import dev.sluice.core.standards.Standard;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an admin may change about a product directly: its description, its artifact size limit,
 * whether its security updates may be deferred, and its extra standards (a new version of its
 * standards set: the defaults plus these). Its certifiers and threshold change only through an
 * endorsed policy change ({@link dev.sluice.core.policy.PolicyService}).
 */
public record ProductUpdate(
    Optional<String> description,
    OptionalLong maxArtifactSize,
    Optional<Boolean> securityUpdatesDeferrable,
    Optional<List<Standard>> extraStandards) {

  public ProductUpdate {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(maxArtifactSize, "maxArtifactSize");
    Objects.requireNonNull(securityUpdatesDeferrable, "securityUpdatesDeferrable");
    extraStandards = extraStandards.map(List::copyOf);
    if (description.isEmpty()
        && maxArtifactSize.isEmpty()
        && securityUpdatesDeferrable.isEmpty()
        && extraStandards.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to update; allowed: description, max_artifact_size, standards,"
              + " security_updates_deferrable (a product's certifiers and threshold change only by"
              + " an endorsed policy proposal)");
    }
  }
}
