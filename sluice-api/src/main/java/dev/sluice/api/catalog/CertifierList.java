package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Every certifier. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertifierList(List<CertifierView> certifiers) {
  public CertifierList {
    certifiers = certifiers == null ? List.of() : List.copyOf(certifiers);
  }
}
