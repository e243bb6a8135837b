package dev.sluice.trust.tuf.model;

import dev.sluice.trust.TrustException;

/**
 * Root of every TUF failure: metadata or a target that does not parse or does not verify. Each
 * subclass names one attack or fault and carries typed fields; none is ever thrown for metadata
 * that the TUF 1.0 client workflow accepts.
 */
public abstract class TufException extends TrustException {
  private static final long serialVersionUID = 1L;

  protected TufException(String message) {
    super(message);
  }

  protected TufException(String message, Throwable cause) {
    super(message, cause);
  }
}
