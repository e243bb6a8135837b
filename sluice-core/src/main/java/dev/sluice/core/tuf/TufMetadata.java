package dev.sluice.core.tuf;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the newest stored metadata of a role: the one read every job of the repository shares. The
 * stored bytes were signed by this server (or checked on upload), so they are parsed, not verified.
 */
final class TufMetadata {
  private TufMetadata() {}

  /** The role's newest metadata, if it has any. */
  static <T extends Signed> Optional<Metadata<T>> find(TufPorts repos, String role, Class<T> type) {
    return repos.tuf().latestVersion(role).stream()
        .boxed()
        .findFirst()
        .map(v -> Metadata.parse(repos.tuf().find(role, v).orElseThrow(), type));
  }

  /**
   * The role's newest metadata.
   *
   * @throws IllegalStateException if the role has none
   */
  static <T extends Signed> Metadata<T> latest(TufPorts repos, String role, Class<T> type) {
    return find(repos, role, type)
        .orElseThrow(() -> new IllegalStateException("no " + role + " metadata"));
  }

  /** The role's newest targets, or none if it has no metadata yet. */
  static Map<String, TargetFile> targetsOf(TufPorts repos, String role) {
    return find(repos, role, Targets.class).map(md -> md.signed().targets()).orElse(Map.of());
  }

  static Root root(TufPorts repos) {
    return latest(repos, TufRoles.ROOT, Root.class).signed();
  }

  static boolean hasRoot(TufPorts repos) {
    return repos.tuf().latestVersion(TufRoles.ROOT).isPresent();
  }

  /**
   * @throws Conflict (NOT_READY) unless a root is installed
   */
  static void requireRoot(TufPorts repos) {
    if (!hasRoot(repos)) {
      throw new Conflict(
          ConflictKind.NOT_READY, "the TUF repository has no root yet: run sluice tuf root init");
    }
  }
}
