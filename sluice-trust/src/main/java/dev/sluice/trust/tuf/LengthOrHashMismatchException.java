package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * A metadata file or target does not have the length or SHA-256 its trusted referrer lists (TUF 1.0
 * §5.5.2, §5.6.2, §5.7.3): tampered content, or mix-and-match.
 */
public final class LengthOrHashMismatchException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final String expected;
  private final String found;

  public LengthOrHashMismatchException(String what, String expected, String found) {
    super(what + ": expected " + expected + ", found " + found);
    this.what = what;
    this.expected = expected;
    this.found = found;
  }

  /** The file, for example {@code "3.snapshot.json"} or a target path. */
  public String what() {
    return what;
  }

  /** The expected length ({@code "length 42"}) or digest ({@code "sha256 ab…"}). */
  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }
}
