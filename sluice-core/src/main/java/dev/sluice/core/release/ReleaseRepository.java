package dev.sluice.core.release;

import dev.sluice.core.PageCursor;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.product.ProductName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Releases, their artifacts and sign-offs. */
public interface ReleaseRepository {

  /**
   * Stores a new release (in DRAFT, without artifacts).
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the product already has a
   *     release with this exact version string
   */
  void insert(Release release);

  Optional<Release> find(ReleaseId id);

  /**
   * Like {@link #find}, and holds a lock on the release's row until the transaction ends, so that
   * concurrent state changes to one release are serialized (PostgreSQL: {@code SELECT ... FOR
   * UPDATE}; SQLite serializes all write transactions anyway).
   */
  Optional<Release> findForUpdate(ReleaseId id);

  /** The release's state alone (cheaper than {@link #find}: no manifest is read). */
  Optional<ReleaseState> state(ReleaseId id);

  /**
   * Whether a revocation of the release is recorded (queued in the transparency log), finished or
   * not: from then on the release is withdrawn, even while its state still says PUBLISHED.
   */
  boolean revocationRecorded(ReleaseId id);

  /** Releases newest first, optionally of one product and/or in one state. */
  default List<Release> list(
      Optional<ProductName> product, Optional<ReleaseState> state, int limit) {
    return list(product, state, Optional.empty(), limit);
  }

  /**
   * Like {@link #list(Optional, Optional, int)}, only releases older than {@code after} in
   * (creation time, id) order: the next page of a keyset-paged list.
   */
  default List<Release> list(
      Optional<ProductName> product,
      Optional<ReleaseState> state,
      Optional<PageCursor> after,
      int limit) {
    return list(product, state, new ListFilter.All(), SortOrder.DESCENDING, after, limit);
  }

  /**
   * Releases that the filter selects (of one product and/or in one state, if given), in creation
   * order ({@code order}, ties by id), past {@code after} in that order: a keyset-paged list.
   */
  List<Release> list(
      Optional<ProductName> product,
      Optional<ReleaseState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit);

  /**
   * A release whose manifest has this digest and which is in one of the given states (several
   * releases may share a manifest only across products, which the manifest's product prevents).
   */
  Optional<Release> findByManifest(
      dev.sluice.trust.hash.Sha256 manifestSha256, List<ReleaseState> states);

  /** The newest release of the product in one of the given states, by version precedence. */
  Optional<Release> latestIn(ProductName product, List<ReleaseState> states);

  /**
   * Adds an uploaded artifact to a release.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the release already has an
   *     artifact of this name
   */
  void addArtifact(ReleaseId id, Artifact artifact, Instant at);

  /**
   * Replaces the content of an artifact the release already has (a DRAFT's re-upload); false if it
   * has no artifact of this name.
   */
  boolean replaceArtifact(ReleaseId id, Artifact artifact, Instant at);

  /**
   * Deletes a release that is still in {@code expected} state, with its artifacts' references,
   * sign-offs and status note; false (and nothing deleted) if it is not in that state. Its blobs
   * stay until the blob garbage collection finds them unreferenced.
   */
  boolean delete(ReleaseId id, ReleaseState expected);

  /** Records the check outcome and moves the release to {@code newState}. */
  void saveCheck(ReleaseId id, CheckRecord check, ReleaseState newState, Instant at);

  /**
   * Moves the release from {@code expected} to {@code next}; returns false (and changes nothing) if
   * it is no longer in {@code expected}.
   */
  boolean transition(ReleaseId id, ReleaseState expected, ReleaseState next, Instant at);

  /** The release's public status note, if one was set. */
  Optional<dev.sluice.core.release.StatusNote> statusNote(ReleaseId id);

  /**
   * The status notes of these releases (of those that have one): a page's notes, not every note.
   */
  java.util.Map<ReleaseId, dev.sluice.core.release.StatusNote> statusNotes(
      java.util.Collection<ReleaseId> ids);

  /** Sets or replaces the release's status note. */
  void saveStatusNote(ReleaseId id, dev.sluice.core.release.StatusNote note);
}
