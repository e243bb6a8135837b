package dev.sluice.server.web;

import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.publication.Publication;
import dev.sluice.core.publication.ReleaseRecord;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.release.StatusNote;
import dev.sluice.core.release.StatusNotes;
import dev.sluice.core.standards.StandardResult;
import dev.sluice.core.tlog.TransparencyLog;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the portal and the console show about releases, read from the core services: publication and
 * revocation with their log index, the failed standards, status notes, the capability diff.
 */
public final class ReleaseFacts {
  private final ReleaseService releases;
  private final CertificationService certification;
  private final StatusNotes notes;
  private final Transactions transactions;
  private final TransparencyLog log;

  ReleaseFacts(
      ReleaseService releases,
      CertificationService certification,
      StatusNotes notes,
      Transactions transactions,
      TransparencyLog log) {
    this.releases = releases;
    this.certification = certification;
    this.notes = notes;
    this.transactions = transactions;
    this.log = log;
  }

  /** A record in the transparency log: its index (empty until integrated) and when it was made. */
  public record Logged(Optional<Long> index, Instant at) {}

  /** One release with what a reader needs to understand where it stands. */
  public record Row(
      Release release,
      Optional<Logged> published,
      Optional<Logged> revoked,
      List<StandardResult> failed,
      Optional<StatusNote> note) {

    public String id() {
      return release.id().value();
    }

    public boolean pending() {
      return release.state() != ReleaseState.PUBLISHED && release.state() != ReleaseState.REVOKED;
    }
  }

  Row row(Release release, Optional<StatusNote> note) {
    List<StandardResult> failed =
        release
            .check()
            .map(c -> c.report().results().stream().filter(Fmt::failed).toList())
            .orElse(List.of());
    return new Row(
        release,
        logged(release.id(), ReleaseRecord.Kind.RELEASE),
        logged(release.id(), ReleaseRecord.Kind.REVOCATION),
        failed,
        note);
  }

  Row row(ReleaseId id) {
    Release release = releases.release(id);
    return row(release, notes.note(id));
  }

  /** The product's releases, newest first. */
  List<Row> rows(ProductName product, int limit) {
    List<Release> listed = releases.list(Optional.of(product), Optional.empty(), limit);
    var all = notes(listed);
    return listed.stream()
        .sorted(Comparator.comparing(Release::createdAt).reversed())
        .map(r -> row(r, Optional.ofNullable(all.get(r.id()))))
        .toList();
  }

  /** The status notes of these releases, those that have one. */
  java.util.Map<ReleaseId, StatusNote> notes(List<Release> listed) {
    return notes.of(listed.stream().map(Release::id).toList());
  }

  List<SignOff> signOffs(ReleaseId id) {
    return certification.signOffs(id);
  }

  /** The capability diff against the newest published release of the product before this one. */
  CapabilityDiff diff(Release release) {
    Optional<Release> previous =
        releases
            .list(Optional.of(release.product()), Optional.of(ReleaseState.PUBLISHED), 500)
            .stream()
            .filter(r -> !r.id().equals(release.id()))
            .filter(r -> r.version().compareTo(release.version()) < 0)
            .max(Comparator.comparing(Release::version));
    return CapabilityDiff.between(
        previous.map(Release::manifest),
        previous.map(r -> r.version().value()),
        release.manifest());
  }

  private Optional<Logged> logged(ReleaseId id, ReleaseRecord.Kind kind) {
    Optional<Publication> publication =
        transactions.read(repos -> repos.publications().find(id, kind));
    return publication.map(p -> new Logged(log.indexOf(p.leafHash()), p.createdAt()));
  }
}
