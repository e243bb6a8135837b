package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;
import java.time.Instant;

/**
 * Metadata has expired at the update start time (TUF 1.0 §5.3.10, §5.4.4, §5.5.6, §5.6.5): a
 * potential freeze attack, where a client is kept on old but validly signed metadata.
 */
public final class ExpiredMetadataException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String role;
  private final Instant expires;
  private final Instant now;

  public ExpiredMetadataException(String role, Instant expires, Instant now) {
    super(role + " metadata expired at " + expires + " (update started " + now + ")");
    this.role = role;
    this.expires = expires;
    this.now = now;
  }

  public String role() {
    return role;
  }

  public Instant expires() {
    return expires;
  }

  /** The fixed update start time. */
  public Instant now() {
    return now;
  }
}
