package dev.sluice.core.blob;

import dev.sluice.trust.hash.Sha256;
import java.io.IOException;

/**
 * A stored blob's bytes no longer have the digest it is stored under (changed on disk after it was
 * written). It is not served: the artifact is unavailable until the file is restored.
 */
public final class BlobCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String expected;
  private final String actual;

  public BlobCorruptedException(Sha256 expected, Sha256 actual) {
    super("blob " + expected + " is corrupted: its content now has sha256 " + actual);
    this.expected = expected.hex();
    this.actual = actual.hex();
  }

  /** The digest the blob is stored under. */
  public Sha256 expected() {
    return new Sha256(expected);
  }

  /** The digest of what is on disk now. */
  public Sha256 actual() {
    return new Sha256(actual);
  }
}
