package dev.sluice.core.product;

import dev.sluice.core.Slug;

/** The identity of an independent certifying authority, a lowercase slug such as {@code lab-a}. */
public record CertifierId(String value) {
  public CertifierId {
    Slug.check("a certifier id", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
