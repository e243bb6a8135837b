package dev.sluice.core.publication;

import dev.sluice.core.release.ReleaseId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Publications and revocations in progress or done, with the exact record bytes they logged. */
public interface PublicationStorage {

  Optional<Publication> find(ReleaseId release, ReleaseRecord.Kind kind);

  /**
   * Stores a publication that has just been appended to the log.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the release already has
   *     one of this kind
   */
  void insert(Publication publication);

  /** Marks the publication finished (its TUF metadata is written). */
  void markDone(ReleaseId release, ReleaseRecord.Kind kind, Instant at);

  /** Marks the publication as waiting for an offline signature of its product's role. */
  void markAwaitingSignature(ReleaseId release, ReleaseRecord.Kind kind);

  /** Publications appended to the log whose TUF step has not run, oldest first. */
  List<Publication> unfinished();

  /** Publications waiting for an offline signature, oldest first. */
  List<Publication> awaitingSignature();
}
