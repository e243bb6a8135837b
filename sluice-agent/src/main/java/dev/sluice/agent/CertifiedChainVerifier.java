package dev.sluice.agent;

import dev.sluice.trust.chain.ChainUnavailableException;
import dev.sluice.trust.chain.ChainVerificationException;
import dev.sluice.trust.chain.LoggedRelease;
import dev.sluice.trust.chain.ReleaseChainVerifier;
import dev.sluice.trust.chain.VerifiedRelease;
import java.util.function.Consumer;

/**
 * The whole chain, to the certifiers: first {@code delivery} (the agent's own check of TUF, the log
 * entry and its record, with the device's fork evidence and refusal codes), then the chain library
 * ({@link ReleaseChainVerifier}) over the same public data, which adds the last links: the
 * sign-offs verify under the certification policy the record names, that policy meets its
 * threshold, and every policy back to the product's first is in the log and endorsed by the
 * certifiers it replaced (docs/records.md). The agent installs only what both accept, and both must
 * agree on the record.
 */
public final class CertifiedChainVerifier implements ChainVerifier {
  private final ChainVerifier delivery;
  private final ReleaseChainVerifier certification;
  private final Consumer<String> progress;

  public CertifiedChainVerifier(
      ChainVerifier delivery, ReleaseChainVerifier certification, Consumer<String> progress) {
    this.delivery = delivery;
    this.certification = certification;
    this.progress = progress;
  }

  @Override
  public VerifiedTarget verify(String product, ReleaseVersion version, String file) {
    VerifiedTarget target = delivery.verify(product, version, file);
    VerifiedRelease release;
    try {
      release = certification.verifyTarget(product, version.value(), file);
    } catch (ChainUnavailableException e) {
      throw new ServerException("the certification chain could not be fetched: " + e.getMessage());
    } catch (ChainVerificationException e) {
      throw new UpdateRefusedException(refusal(e), e.link().title() + ": " + e.getMessage(), e);
    }
    LoggedRelease.Artifact certified =
        release.artifacts().stream()
            .filter(a -> a.name().equals(file))
            .findFirst()
            .orElseThrow(
                () ->
                    new UpdateRefusedException(
                        Refusal.RECORD_MISMATCH, "the certified release does not list " + file));
    if (release.logIndex() != target.logIndex()
        || !certified.sha256().equals(target.sha256())
        || certified.size() != target.length()) {
      throw new UpdateRefusedException(
          Refusal.RECORD_MISMATCH,
          "the certified record (log index "
              + release.logIndex()
              + ") does not describe the target the device verified (log index "
              + target.logIndex()
              + ")");
    }
    VerifiedRelease.VerifiedPolicy policy = release.policy();
    progress.accept(
        "certification: "
            + String.join(", ", release.signers())
            + " signed; "
            + release.signers().size()
            + " of "
            + policy.certifiers().size()
            + " certifiers, threshold "
            + policy.threshold()
            + ", under policy #"
            + policy.sequence()
            + " (log index "
            + policy.logIndex()
            + "), endorsed back to the product's first policy");
    return target;
  }

  private static Refusal refusal(ChainVerificationException e) {
    return switch (e.link()) {
      case TUF -> Refusal.STALE_METADATA;
      case TARGET -> Refusal.NOT_PUBLISHED;
      case ARTIFACT -> Refusal.TAMPERED;
      case CHECKPOINT -> Refusal.LOG_FORK;
      case INCLUSION -> Refusal.NOT_IN_LOG;
      case RECORD, STATEMENT -> Refusal.RECORD_MISMATCH;
      case REVOCATION -> Refusal.REVOKED;
      case SIGNOFFS, POLICY -> Refusal.POLICY;
    };
  }
}
