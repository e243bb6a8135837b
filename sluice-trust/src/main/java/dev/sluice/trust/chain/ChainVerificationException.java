package dev.sluice.trust.chain;

import dev.sluice.trust.TrustException;
import java.util.Objects;

/**
 * Root of every refusal of {@link ReleaseChainVerifier}: one link of the chain did not hold. Each
 * subclass names one broken link or attack, and {@link #link()} says which link it was, so a
 * verifier can print "✗ log inclusion: …" and a device can report the reason. The message starts
 * with the link's title.
 */
public abstract class ChainVerificationException extends TrustException {
  private static final long serialVersionUID = 1L;

  private final ChainLink link;

  protected ChainVerificationException(ChainLink link, String message) {
    super(Objects.requireNonNull(link, "link").title() + ": " + message);
    this.link = link;
  }

  protected ChainVerificationException(ChainLink link, String message, Throwable cause) {
    super(Objects.requireNonNull(link, "link").title() + ": " + message, cause);
    this.link = link;
  }

  /** The link that broke. */
  public ChainLink link() {
    return link;
  }

  /** The message without the link's title, for printing next to it. */
  public String reason() {
    return getMessage().substring(link.title().length() + 2);
  }
}
