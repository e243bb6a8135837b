package dev.sluice.core.manifest;

import java.util.List;

/** A release manifest is larger than {@link ReleaseManifest#MAX_BYTES}; it was not parsed. */
public final class ManifestTooLargeException extends ManifestException {
  private static final long serialVersionUID = 1L;
  private final long size;
  private final long limit;

  public ManifestTooLargeException(long size, long limit) {
    super(
        List.of(
            new Violation(
                "",
                "the manifest is " + size + " bytes, more than the limit of " + limit + " bytes")));
    this.size = size;
    this.limit = limit;
  }

  @Override
  public boolean tooLarge() {
    return true;
  }

  public long size() {
    return size;
  }

  public long limit() {
    return limit;
  }
}
