package dev.sluice.core.blob;

import java.io.IOException;

/** An upload went over its size limit; nothing was stored. */
public final class BlobTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long limit;

  public BlobTooLargeException(long limit) {
    super("the upload exceeds the limit of " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
