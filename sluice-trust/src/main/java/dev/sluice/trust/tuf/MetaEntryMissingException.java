package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * Snapshot metadata does not list a targets role it must list: a delegated role being consulted, or
 * a role the previously trusted snapshot listed (TUF 1.0 §5.5.5).
 */
public final class MetaEntryMissingException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String entry;

  public MetaEntryMissingException(String entry) {
    super("snapshot metadata does not list " + entry);
    this.entry = entry;
  }

  /** The missing meta entry, for example {@code "product-a.json"}. */
  public String entry() {
    return entry;
  }
}
