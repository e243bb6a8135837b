package dev.sluice.agent;

/**
 * The seam between the agent and the chain verification (docs/records.md, "How an outsider walks
 * the chain"): pinned TUF root → timestamp → snapshot → targets → target → log record (inclusion in
 * a signed checkpoint consistent with the last one seen) → release, not revoked, matching the
 * target → sign-offs under the logged policy. The agent installs nothing this did not return.
 *
 * <p>Implementations keep their trusted state (TUF metadata, last checkpoint) in the agent's state
 * directory and must be safe to call again after a crash at any point.
 */
public interface ChainVerifier {
  /**
   * Verifies the artifact {@code file} of release {@code version} of {@code product}.
   *
   * @return the target the chain vouches for; download exactly these bytes
   * @throws UpdateRefusedException naming the broken link ({@link Refusal})
   * @throws ServerException if the server could not be reached (nothing was decided)
   */
  VerifiedTarget verify(String product, ReleaseVersion version, String file);
}
