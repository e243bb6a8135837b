package dev.sluice.trust.chain;

/**
 * TUF metadata failed the client workflow (signatures below threshold, expired or replayed
 * metadata, rollback, wrong length or hash): the cause is the {@link
 * dev.sluice.trust.tuf.model.TufException} saying which.
 */
public final class TufMetadataRefusedException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public TufMetadataRefusedException(String message) {
    super(ChainLink.TUF, message);
  }

  public TufMetadataRefusedException(String message, Throwable cause) {
    super(ChainLink.TUF, message, cause);
  }
}
