package dev.sluice.core.release;

import java.util.OptionalLong;

/**
 * How an artifact upload is made: the body's declared length, if the client sent one (checked
 * against the product's limit and the manifest before any byte is stored), and whether an artifact
 * a DRAFT already has may be replaced.
 */
public record ArtifactUpload(OptionalLong contentLength, boolean replace) {
  /** A first upload of unknown length. */
  public static final ArtifactUpload NEW = new ArtifactUpload(OptionalLong.empty(), false);

  public ArtifactUpload {
    java.util.Objects.requireNonNull(contentLength, "contentLength");
    if (contentLength.isPresent() && contentLength.getAsLong() < 0) {
      throw new IllegalArgumentException("a content length is not negative");
    }
  }
}
