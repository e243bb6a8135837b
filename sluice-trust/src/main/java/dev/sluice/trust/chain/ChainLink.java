package dev.sluice.trust.chain;

/**
 * The links of the chain from a pinned TUF root to a certifier's private key, in the order {@link
 * ReleaseChainVerifier} checks them (docs/records.md, "How an outsider walks the chain").
 */
public enum ChainLink {
  /** Root, timestamp, snapshot and targets: threshold signatures, versions, freshness. */
  TUF("TUF metadata"),
  /** The target in the product's delegated role, with its log index and leaf hash. */
  TARGET("TUF target"),
  /** The bytes being verified have the target's digest and size. */
  ARTIFACT("artifact"),
  /** A checkpoint signed by the log key, consistent with the last one this verifier stored. */
  CHECKPOINT("log checkpoint"),
  /** The record is the log entry at the target's index (leaf hash and inclusion proof). */
  INCLUSION("log inclusion"),
  /** The entry is a release record (v2) that describes the target. */
  RECORD("release record"),
  /** No revocation of the release: fresh TUF lists it, and the log holds no revocation of it. */
  REVOCATION("not revoked"),
  /** The statement rebuilt from the record has the record's digest and the target's artifact. */
  STATEMENT("release statement"),
  /** The certifiers' sign-offs verify under the named policy and meet its threshold. */
  SIGNOFFS("certifier sign-offs"),
  /** The policy record is logged, and every link back to its sequence 1 is endorsed. */
  POLICY("certification policy");

  private final String title;

  ChainLink(String title) {
    this.title = title;
  }

  /** A short name for people, for example "log inclusion". */
  public String title() {
    return title;
  }
}
