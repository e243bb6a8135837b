package dev.sluice.core.blob;

import dev.sluice.trust.hash.Sha256;
import java.io.IOException;

/** The uploaded bytes do not have the digest the uploader declared; nothing was stored. */
public final class BlobDigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String expected;
  private final String actual;

  public BlobDigestMismatchException(Sha256 expected, Sha256 actual) {
    super("the upload's sha256 is " + actual + " but " + expected + " was declared");
    this.expected = expected.hex();
    this.actual = actual.hex();
  }

  public Sha256 expected() {
    return new Sha256(expected);
  }

  public Sha256 actual() {
    return new Sha256(actual);
  }
}
