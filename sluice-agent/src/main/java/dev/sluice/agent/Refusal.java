package dev.sluice.agent;

/**
 * Why the agent refused an update. Each is one broken link of the chain (docs/records.md, "How an
 * outsider walks the chain") or one local rule; its {@link #code()} starts the {@code details} of
 * the failure feedback the server receives.
 */
public enum Refusal {
  /** No trusted TUF targets role lists the target: never published, or revoked and removed. */
  NOT_PUBLISHED("not-published"),
  /**
   * The target's log entry is missing, not included in the signed checkpoint, or not its record.
   */
  NOT_IN_LOG("not-in-log"),
  /** The log holds a revocation record for the release. */
  REVOKED("revoked"),
  /** The served checkpoint is not consistent with the last one the device verified. */
  LOG_FORK("log-fork"),
  /** Timestamp, snapshot or targets metadata is expired or older than the device already saw. */
  STALE_METADATA("stale-metadata"),
  /** Metadata is signed by fewer keys than its role's threshold. */
  TOO_FEW_SIGNATURES("too-few-signatures"),
  /** Bytes (artifact or metadata) do not match their trusted length and SHA-256. */
  TAMPERED("tampered"),
  /** The release is of another product than the device runs. */
  WRONG_PRODUCT("wrong-product"),
  /** The release is older than the highest version the device ever installed. */
  DOWNGRADE("downgrade"),
  /** The log record does not describe the target (version, digest, size) or cannot be read. */
  RECORD_MISMATCH("record-mismatch"),
  /** Sign-offs do not meet the logged certification policy (checked by the chain library). */
  POLICY("policy"),
  /** The manifest served for the release does not have the logged digest. */
  MANIFEST_MISMATCH("manifest-mismatch"),
  /** Anything else that keeps the chain from being verified (malformed metadata, bad keys). */
  UNVERIFIABLE("unverifiable");

  private final String code;

  Refusal(String code) {
    this.code = code;
  }

  /** The stable wire name, e.g. {@code log-fork}. */
  public String code() {
    return code;
  }
}
