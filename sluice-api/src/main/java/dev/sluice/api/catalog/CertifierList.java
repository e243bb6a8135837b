package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of certifiers, in id order.
 *
 * @param next the cursor of the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertifierList(
    List<CertifierView> certifiers, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public CertifierList {
    certifiers = certifiers == null ? List.of() : List.copyOf(certifiers);
  }

  public CertifierList(List<CertifierView> certifiers) {
    this(certifiers, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
