package dev.sluice.trust.chain;

/** The release was revoked: the log holds a revocation record of it. */
public final class RevokedReleaseException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  private final String releaseId;
  private final long revocationIndex;

  public RevokedReleaseException(String releaseId, long revocationIndex, String message) {
    super(ChainLink.REVOCATION, message);
    this.releaseId = releaseId;
    this.revocationIndex = revocationIndex;
  }

  public String releaseId() {
    return releaseId;
  }

  /** The log index of the revocation record. */
  public long revocationIndex() {
    return revocationIndex;
  }
}
