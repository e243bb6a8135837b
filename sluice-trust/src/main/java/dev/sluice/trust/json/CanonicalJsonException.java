package dev.sluice.trust.json;

import dev.sluice.trust.TrustException;

/**
 * A JSON value has no canonical form (a non-integral number, a string that is not valid Unicode, a
 * node type JSON does not have), so it cannot be signed or verified.
 */
public final class CanonicalJsonException extends TrustException {
  private static final long serialVersionUID = 1L;

  private final String pointer;

  public CanonicalJsonException(String pointer, String problem) {
    super(problem + " at " + (pointer.isEmpty() ? "the document root" : pointer));
    this.pointer = pointer;
  }

  /** Where the offending value is, as an RFC 6901 JSON Pointer ({@code ""} is the root). */
  public String pointer() {
    return pointer;
  }
}
