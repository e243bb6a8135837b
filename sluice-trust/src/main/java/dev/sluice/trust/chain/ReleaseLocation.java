package dev.sluice.trust.chain;

import java.util.List;
import java.util.Objects;

/**
 * Where a source says a release's targets are: its product, version and artifact names. Untrusted:
 * a hint for which TUF targets to resolve, never evidence (see {@link ChainSource#locate}).
 */
public record ReleaseLocation(String product, String version, List<String> artifacts) {
  public ReleaseLocation {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(version, "version");
    artifacts = List.copyOf(artifacts);
    if (product.isEmpty() || product.contains("/") || version.isEmpty() || version.contains("/")) {
      throw new IllegalArgumentException("not a product and version: " + product + " " + version);
    }
    for (String name : artifacts) {
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("not an artifact name: " + name);
      }
    }
  }

  /** The TUF target path of artifact {@code name}: {@code product/version/name}. */
  public String path(String name) {
    return product + "/" + version + "/" + name;
  }
}
