package dev.sluice.core.tuf;

import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the unsigned next version of a role signed offline, with the offline expiry: its holder
 * signs it rarely, and the server cannot re-sign it.
 */
final class PendingTargets {
  private final RepositoryBuilder offlineBuilder;
  private final Duration offlineExpiry;

  PendingTargets(Clock clock, RepositoryBuilder.Expiry expiry, Duration offlineExpiry) {
    this.offlineExpiry = offlineExpiry;
    this.offlineBuilder =
        new RepositoryBuilder(
            clock,
            new RepositoryBuilder.Expiry(
                expiry.root(), offlineExpiry, expiry.snapshot(), expiry.timestamp()));
  }

  /** The role's version {@code version}, listing {@code files} itself, awaiting a signature. */
  PendingMetadata create(String role, long version, Map<String, TargetFile> files, Instant now) {
    Targets targets = offlineBuilder.targets(version, files, List.of());
    return new PendingMetadata(role, version, Metadata.unsigned(targets).signedBytes(), now);
  }

  /**
   * Pending metadata is unsigned, so the server can keep it from expiring before its holder signs
   * it: past half its lifetime it is rebuilt with the same version and targets and a new expiry. A
   * holder who fetched the old bytes then gets {@code stale_metadata} and signs the new ones.
   */
  void renewDue(TufPorts repos, Instant now) {
    for (PendingMetadata p : repos.offlineRoles().allPending()) {
      Targets targets = p.metadata().signed();
      if (ExpiryRefresh.due(targets, offlineExpiry, now)) {
        repos.offlineRoles().putPending(create(p.role(), p.version(), targets.targets(), now));
      }
    }
  }
}
