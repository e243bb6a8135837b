package dev.sluice.core.release;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a release is on its path to devices (DESIGN.md, "The path of a release"). Transitions are
 * only those listed here; anything else is refused as an illegal transition.
 */
public enum ReleaseState {
  /** Uploaded; artifacts may still be added. */
  DRAFT,
  /** Every error-severity standard passed; waiting for certifiers' sign-offs. */
  CHECKED,
  /** Failed a standard, or a certifier rejected it. Final. */
  BLOCKED,
  /** Signed off by the product's threshold of certifiers. */
  CERTIFIED,
  /** Appended to the transparency log and listed in TUF metadata. */
  PUBLISHED,
  /** Withdrawn after publication; the log records the revocation. Final. */
  REVOKED;

  public Set<ReleaseState> successors() {
    return switch (this) {
      case DRAFT -> EnumSet.of(CHECKED, BLOCKED);
      case CHECKED -> EnumSet.of(CERTIFIED, BLOCKED);
      case CERTIFIED -> EnumSet.of(PUBLISHED);
      case PUBLISHED -> EnumSet.of(REVOKED);
      case BLOCKED, REVOKED -> EnumSet.noneOf(ReleaseState.class);
    };
  }

  public boolean canBecome(ReleaseState next) {
    return successors().contains(next);
  }

  /** The lowercase name used on the wire. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
