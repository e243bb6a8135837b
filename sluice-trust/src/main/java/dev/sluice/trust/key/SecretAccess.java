package dev.sluice.trust.key;

/**
 * A token a caller must pass to read secret key bytes (after Tink's {@code SecretKeyAccess}). It
 * makes every place that exports private key material explicit and easy to find in review.
 */
public enum SecretAccess {
  /** The caller takes responsibility for storing the exported secret securely. */
  I_WILL_PROTECT_THIS
}
