package dev.sluice.agent;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.Optional;

/**
 * A target whose whole chain a {@link ChainVerifier} checked: the only bytes the agent will ever
 * install are {@code length} bytes with this {@code sha256}.
 *
 * @param product the product of the release record (and of the TUF target path)
 * @param version the release version of the record
 * @param file the artifact name, e.g. {@code system.img}
 * @param logIndex the index of the release record in the transparency log
 * @param releaseId the release id of the record
 * @param manifestSha256 the manifest digest the record names
 */
public record VerifiedTarget(
    String product,
    ReleaseVersion version,
    String file,
    Sha256 sha256,
    long length,
    long logIndex,
    String releaseId,
    Optional<Sha256> manifestSha256) {
  public VerifiedTarget {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(manifestSha256, "manifestSha256");
    if (length < 0 || logIndex < 0) {
      throw new IllegalArgumentException("length and log index must not be negative");
    }
  }

  /** The TUF target path, {@code <product>/<version>/<file>}. */
  public String tufPath() {
    return product + "/" + version.value() + "/" + file;
  }
}
