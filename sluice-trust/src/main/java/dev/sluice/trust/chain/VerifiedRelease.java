package dev.sluice.trust.chain;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tlog.Checkpoint;
import java.util.List;
import java.util.Objects;

/**
 * A release whose whole chain held: TUF lists it, the log holds its release record, it is not
 * revoked, and the certifiers its logged policy requires signed it. Only {@link
 * ReleaseChainVerifier} creates one.
 *
 * @param targetPaths the TUF target paths that were verified ({@code <product>/<version>/<name>})
 * @param logIndex the index of the release record in the log
 * @param policy the policy the sign-offs were checked under
 * @param signers the distinct certifiers whose sign-off verified
 * @param checkpoint the log checkpoint the record was proven included in
 * @param links what each link established, in order
 */
public record VerifiedRelease(
    String releaseId,
    String product,
    String version,
    List<LoggedRelease.Artifact> artifacts,
    List<String> targetPaths,
    Sha256 manifestSha256,
    long logIndex,
    VerifiedPolicy policy,
    List<String> signers,
    Checkpoint checkpoint,
    List<VerifiedLink> links) {

  /** The policy a release was certified under, with the chain back to sequence 1 verified. */
  public record VerifiedPolicy(
      long logIndex, long sequence, int threshold, List<String> certifiers) {
    public VerifiedPolicy {
      certifiers = List.copyOf(certifiers);
    }
  }

  public VerifiedRelease {
    Objects.requireNonNull(releaseId, "releaseId");
    artifacts = List.copyOf(artifacts);
    targetPaths = List.copyOf(targetPaths);
    signers = List.copyOf(signers);
    links = List.copyOf(links);
  }
}
