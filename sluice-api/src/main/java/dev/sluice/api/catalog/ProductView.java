package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A product: the certifiers whose approvals count, how many are needed, and the standards its
 * releases are checked against (a standards set, as uploaded).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductView(
    String name,
    String description,
    List<String> certifiers,
    int threshold,
    long maxArtifactSize,
    JsonNode standards,
    String createdAt,
    boolean securityUpdatesDeferrable) {
  public ProductView {
    certifiers = certifiers == null ? List.of() : List.copyOf(certifiers);
  }
}
