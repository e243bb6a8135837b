package dev.sluice.core.release;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PageCursor;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.blob.BlobDigestMismatchException;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.blob.BlobTooLargeException;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ManifestException;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.standards.CheckReport;
import dev.sluice.core.standards.CompiledStandards;
import dev.sluice.core.standards.ReleaseFacts;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.core.standards.StandardsSet;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The release pipeline up to certification: create a release from its manifest, upload its
 * artifacts, check it against its product's standards, and hand it to certifiers (see {@link
 * dev.sluice.core.certification.CertificationService}). Every change is recorded in the audit trail
 * in the same transaction.
 */
public final class ReleaseService {
  private final UnitOfWork<? extends ReleasePorts> transactions;
  private final BlobStore blobs;
  private final StandardsEngine engine;
  private final Clock clock;

  private final Evaluation evaluation;

  public ReleaseService(
      UnitOfWork<? extends ReleasePorts> transactions,
      BlobStore blobs,
      StandardsEngine engine,
      Clock clock) {
    this(transactions, blobs, engine, clock, CompiledStandards::evaluate);
  }

  /**
   * A service whose checks evaluate standards through {@code evaluation} (tests wrap the real
   * evaluation to see what runs while it does).
   */
  public ReleaseService(
      UnitOfWork<? extends ReleasePorts> transactions,
      BlobStore blobs,
      StandardsEngine engine,
      Clock clock,
      Evaluation evaluation) {
    this.transactions = transactions;
    this.blobs = blobs;
    this.engine = engine;
    this.clock = clock;
    this.evaluation = evaluation;
  }

  /** Evaluates compiled standards against a release's facts. */
  @FunctionalInterface
  public interface Evaluation {
    CheckReport evaluate(CompiledStandards standards, ReleaseFacts facts);
  }

  /** Creates a DRAFT release from its manifest, exactly as uploaded. */
  public Release create(
      Principal actor, ProductName productName, String versionText, byte[] manifestBytes) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    Version version = dev.sluice.core.Validation.valid(() -> Version.parse(versionText));
    ReleaseManifest manifest = parseManifest(manifestBytes);
    if (!manifest.product().equals(productName.value())) {
      throw new SluiceException.InvalidInput(
          "the manifest is for product '" + manifest.product() + "', not '" + productName + "'",
          List.of(new SluiceException.Violation("/product", "does not match the release")),
          null);
    }
    if (!manifest.version().toString().equals(version.toString())) {
      throw new SluiceException.InvalidInput(
          "the manifest declares version " + manifest.version() + ", not " + version,
          List.of(new SluiceException.Violation("/version", "does not match the release")),
          null);
    }
    Instant now = clock.instant();
    Release release =
        new Release(
            ReleaseId.generate(clock),
            productName,
            version,
            ReleaseState.DRAFT,
            manifest,
            Sha256.of(manifestBytes),
            List.of(),
            Optional.empty(),
            actor.name(),
            now,
            now);
    return transactions.write(
        repos -> {
          requireProduct(repos, productName);
          repos.releases().insert(release);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("product", productName.value());
          detail.put("version", version.toString());
          detail.put("manifest_sha256", release.manifestSha256().hex());
          audit(repos, actor, now, "release.created", release.id(), detail);
          return release;
        });
  }

  /**
   * Streams one artifact into the content-addressed store and attaches it to a DRAFT release. The
   * upload is refused (and nothing is kept) if the release is not a draft, the manifest does not
   * declare the name, the name was uploaded already, the size limit is exceeded, or the content
   * does not match {@code expected}.
   */
  public Artifact uploadArtifact(
      Principal actor,
      ReleaseId id,
      ArtifactName name,
      InputStream content,
      Optional<Sha256> expected) {
    return uploadArtifact(actor, id, name, content, expected, ArtifactUpload.NEW);
  }

  /**
   * Like {@link #uploadArtifact(Principal, ReleaseId, ArtifactName, InputStream, Optional)}, with
   * the body's declared length (refused before any byte is read when it is over the product's limit
   * or differs from the manifest's size) and whether an existing artifact of a DRAFT may be
   * replaced.
   */
  public Artifact uploadArtifact(
      Principal actor,
      ReleaseId id,
      ArtifactName name,
      InputStream content,
      Optional<Sha256> expected,
      ArtifactUpload mode) {
    Upload upload = admit(actor, id, name, expected, mode);
    Optional<Sha256> declaredSha = upload.declared().sha256();
    long productLimit = upload.productLimit();
    java.util.OptionalLong declaredSize = upload.declared().declaredSize();
    long limit = declaredSize.orElse(productLimit);
    BlobStore.StoredBlob stored;
    try {
      stored = blobs.put(content, limit, declaredSha.or(() -> expected));
    } catch (BlobTooLargeException e) {
      throw new SluiceException.TooLarge(
          declaredSize.isPresent()
              ? "artifact '"
                  + name
                  + "' is longer than the "
                  + limit
                  + " bytes the manifest declares"
              : "artifact '" + name + "' exceeds the product's limit of " + limit + " bytes",
          limit);
    } catch (BlobDigestMismatchException e) {
      throw new SluiceException.InvalidInput(
          "artifact '"
              + name
              + "' does not match the sha256 "
              + (declaredSha.isPresent() ? "the manifest declares" : "in Sluice-Sha256")
              + ": "
              + e.getMessage()
              + " (was the upload cut short?)");
    } catch (IOException e) {
      throw new UncheckedIOException("storing artifact '" + name + "' failed", e);
    }
    if (declaredSize.isPresent() && stored.size() != declaredSize.getAsLong()) {
      throw new SluiceException.InvalidInput(
          "artifact '"
              + name
              + "' has "
              + stored.size()
              + " bytes, not the "
              + declaredSize.getAsLong()
              + " the manifest declares");
    }
    Artifact artifact = new Artifact(name, stored.sha256(), stored.size());
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          Release release = requireReleaseForUpdate(repos, id);
          requireUploadable(release, name, mode.replace());
          Optional<Artifact> previous = release.artifact(name);
          if (previous.isPresent()) {
            repos.releases().replaceArtifact(id, artifact, now);
          } else {
            repos.releases().addArtifact(id, artifact, now);
          }
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("name", name.value());
          detail.put("sha256", artifact.sha256().hex());
          detail.put("size", artifact.size());
          previous.ifPresent(p -> detail.put("replaced_sha256", p.sha256().hex()));
          audit(
              repos,
              actor,
              now,
              previous.isPresent() ? "release.artifact-replaced" : "release.artifact-uploaded",
              id,
              detail);
          return artifact;
        });
  }

  /**
   * Checks a DRAFT release against its product's standards: CHECKED when every error-severity
   * standard passes, BLOCKED otherwise. The report is kept and its digest enters the statement.
   *
   * <p>The standards are evaluated outside any write transaction (a large manifest takes seconds to
   * evaluate, and SQLite has one writer: device feedback would wait that long). The release is
   * read, evaluated, and the result written in a short transaction that first re-checks that
   * nothing the evaluation read has changed meanwhile: the release is still a DRAFT with the same
   * artifacts, the product's standards and the previous published release are the same.
   *
   * @throws Conflict (ILLEGAL_TRANSITION) when the release changed during the evaluation
   */
  public Release check(Principal actor, ReleaseId id) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    CheckInput input = transactions.read(repos -> checkInput(repos, id));
    CheckReport report = evaluation.evaluate(engine.compile(input.standards()), input.facts());
    return transactions.write(
        repos -> {
          CheckInput current = checkInput(repos, id);
          if (!current.sameAs(input)) {
            throw new Conflict(
                ConflictKind.ILLEGAL_TRANSITION,
                "release "
                    + id
                    + " changed while it was being checked (an artifact, its product's standards"
                    + " or the previous published release); check it again");
          }
          Instant now = clock.instant();
          CheckRecord record =
              new CheckRecord(report, Sha256.of(CanonicalJson.encode(report.toJson())), now);
          ReleaseState next =
              report.verdict() == CheckReport.Verdict.PASSED
                  ? ReleaseState.CHECKED
                  : ReleaseState.BLOCKED;
          repos.releases().saveCheck(id, record, next, now);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("state", next.wireName());
          detail.put("standards_set", report.standardsSetId());
          detail.put("standards_version", report.standardsVersion());
          detail.put("report_sha256", record.reportSha256().hex());
          report.results().stream()
              .filter(r -> r.outcome() != CheckReport.Outcome.PASS)
              .forEach(r -> detail.withArray("not_passed").add(r.id()));
          audit(repos, actor, now, "release.checked", id, detail);
          return requireRelease(repos, id);
        });
  }

  /** What a check reads; the write re-reads it and refuses if it differs. */
  private record CheckInput(
      Release release, StandardsSet standards, Optional<ReleaseId> previousId, ReleaseFacts facts) {
    boolean sameAs(CheckInput other) {
      return release.state() == other.release.state()
          && release.artifacts().equals(other.release.artifacts())
          && standards.equals(other.standards)
          && previousId.equals(other.previousId);
    }
  }

  private static CheckInput checkInput(ReleasePorts repos, ReleaseId id) {
    Release release = requireRelease(repos, id);
    if (release.state() != ReleaseState.DRAFT) {
      throw illegal(release, "checked", "only a DRAFT release can be checked");
    }
    Product product = requireProduct(repos, release.product());
    Optional<Release> previous =
        repos.releases().latestIn(release.product(), List.of(ReleaseState.PUBLISHED));
    ReleaseFacts facts =
        ReleaseFacts.of(
            release.manifest(),
            release.artifacts(),
            previous.map(Release::manifest),
            product.maxArtifactSize());
    return new CheckInput(release, product.standards(), previous.map(Release::id), facts);
  }

  public Release release(ReleaseId id) {
    return transactions.read(repos -> requireRelease(repos, id));
  }

  public List<Release> list(
      Optional<ProductName> product, Optional<ReleaseState> state, int limit) {
    ListLimit.check(limit);
    return transactions.read(repos -> repos.releases().list(product, state, limit));
  }

  /** A page of releases newest first, from {@code after} on, with the cursor of the next. */
  public Page<Release> page(
      Optional<ProductName> product,
      Optional<ReleaseState> state,
      Optional<PageCursor> after,
      int limit) {
    return page(product, state, new ListFilter.All(), SortOrder.DESCENDING, after, limit);
  }

  /**
   * A page of the releases the filter selects, in creation order ({@code order}), from {@code
   * after} on, with the cursor of the next.
   */
  public Page<Release> page(
      Optional<ProductName> product,
      Optional<ReleaseState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit) {
    ListLimit.check(limit);
    List<Release> fetched =
        transactions.read(
            repos -> repos.releases().list(product, state, filter, order, after, limit + 1));
    return Page.of(fetched, limit, r -> new PageCursor(r.createdAt(), r.id().value()));
  }

  /**
   * The manifest with this digest, exactly as uploaded, if a published (or later revoked) release
   * carries it: the transparency log's records name manifests by digest, and anyone may fetch them.
   */
  public Optional<byte[]> publishedManifest(Sha256 manifestSha256) {
    return transactions
        .read(
            repos ->
                repos
                    .releases()
                    .findByManifest(
                        manifestSha256, List.of(ReleaseState.PUBLISHED, ReleaseState.REVOKED)))
        .map(release -> release.manifest().rawBytes());
  }

  /** Opens an artifact's content for reading. */
  public InputStream openArtifact(ReleaseId id, ArtifactName name) throws IOException {
    Artifact artifact =
        release(id)
            .artifact(name)
            .orElseThrow(() -> new SluiceException.NotFound("artifact", id + "/" + name));
    blobs.verify(artifact.sha256());
    return blobs.open(artifact.sha256());
  }

  private static ReleaseManifest parseManifest(byte[] bytes) {
    try {
      return ReleaseManifest.parse(bytes);
    } catch (ManifestException e) {
      if (e.tooLarge()) {
        throw new SluiceException.TooLarge(e.getMessage(), ReleaseManifest.MAX_BYTES);
      }
      List<SluiceException.Violation> violations =
          e.violations().stream()
              .map(v -> new SluiceException.Violation(v.pointer(), v.message()))
              .toList();
      throw new SluiceException.InvalidInput(e.getMessage(), violations, e);
    }
  }

  private static void requireUploadable(Release release, ArtifactName name, boolean replace) {
    if (release.state() != ReleaseState.DRAFT) {
      throw illegal(
          release,
          "given artifacts",
          "artifacts can only be added to (or replaced in) a DRAFT release");
    }
    if (!release.manifest().artifactNames().contains(name.value())) {
      throw new SluiceException.InvalidInput(
          "the manifest does not declare an artifact named '" + name + "'");
    }
    if (!replace && release.artifact(name).isPresent()) {
      throw new Conflict(
          ConflictKind.ALREADY_EXISTS,
          "artifact '" + name + "' was already uploaded (upload with replace to replace it)");
    }
  }

  /**
   * Refuses an upload that cannot succeed before any of its body is read (the endpoint calls this
   * before it opens the body: closing an unread body would wait for all of it): the release is not
   * a DRAFT, the name is not declared or already uploaded, the digest header differs from the
   * manifest, or the declared length is over the product's limit or differs from the manifest.
   */
  public void admitUpload(
      Principal actor,
      ReleaseId id,
      ArtifactName name,
      Optional<Sha256> expected,
      ArtifactUpload mode) {
    admit(actor, id, name, expected, mode);
  }

  private Upload admit(
      Principal actor,
      ReleaseId id,
      ArtifactName name,
      Optional<Sha256> expected,
      ArtifactUpload mode) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    Upload upload =
        transactions.read(
            repos -> {
              Release release = requireRelease(repos, id);
              requireUploadable(release, name, mode.replace());
              return new Upload(
                  requireProduct(repos, release.product()).maxArtifactSize(),
                  release.manifest().declared(name.value()).orElseThrow());
            });
    // The manifest's digest and size (required since manifest v2) decide what is stored: a body
    // cut short (a client or server stopped mid-upload) can never become the artifact.
    Optional<Sha256> declaredSha = upload.declared().sha256();
    if (expected.isPresent()
        && declaredSha.isPresent()
        && !expected.get().matches(declaredSha.get())) {
      throw new SluiceException.InvalidInput(
          "the Sluice-Sha256 header ("
              + expected.get().hex()
              + ") differs from the sha256 the manifest declares for '"
              + name
              + "' ("
              + declaredSha.get().hex()
              + ")",
          List.of(new SluiceException.Violation("Sluice-Sha256", "differs from the manifest")),
          null);
    }
    long productLimit = upload.productLimit();
    java.util.OptionalLong declaredSize = upload.declared().declaredSize();
    if (declaredSize.isPresent() && declaredSize.getAsLong() > productLimit) {
      throw new SluiceException.TooLarge(
          "artifact '"
              + name
              + "' is declared with "
              + declaredSize.getAsLong()
              + " bytes, over the product's limit of "
              + productLimit
              + " bytes",
          productLimit);
    }
    mode.contentLength().ifPresent(length -> refuseDeclaredLength(name, length, upload));
    return upload;
  }

  private record Upload(long productLimit, ReleaseManifest.Declared declared) {}

  /** Refuses a body whose declared length cannot be stored, before any of it is read. */
  private static void refuseDeclaredLength(ArtifactName name, long length, Upload upload) {
    if (length > upload.productLimit()) {
      throw new SluiceException.TooLarge(
          "artifact '"
              + name
              + "' is "
              + length
              + " bytes (its Content-Length), over the product's limit of "
              + upload.productLimit()
              + " bytes; nothing was stored",
          upload.productLimit());
    }
    java.util.OptionalLong declared = upload.declared().declaredSize();
    if (declared.isPresent() && length > declared.getAsLong()) {
      throw new SluiceException.TooLarge(
          "artifact '"
              + name
              + "' is "
              + length
              + " bytes (its Content-Length), longer than the "
              + declared.getAsLong()
              + " bytes the manifest declares; nothing was stored",
          declared.getAsLong());
    }
    if (declared.isPresent() && declared.getAsLong() != length) {
      throw new SluiceException.InvalidInput(
          "artifact '"
              + name
              + "' is "
              + length
              + " bytes (its Content-Length), not the "
              + declared.getAsLong()
              + " bytes the manifest declares; nothing was stored",
          List.of(new SluiceException.Violation("Content-Length", "differs from the manifest")),
          null);
    }
  }

  /**
   * Deletes a DRAFT release (admin or release manager, audited): nothing about it was signed or
   * logged. Its artifacts' blobs are removed by the next blob garbage collection ({@code sluice
   * gc}) once no other release refers to them.
   *
   * @throws Conflict (ILLEGAL_TRANSITION) when the release is no longer a DRAFT
   */
  public void deleteDraft(Principal actor, ReleaseId id) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    Instant now = clock.instant();
    transactions.write(
        repos -> {
          Release release = requireReleaseForUpdate(repos, id);
          if (release.state() != ReleaseState.DRAFT
              || !repos.releases().delete(id, ReleaseState.DRAFT)) {
            throw illegal(
                release,
                "deleted",
                "only a DRAFT release can be deleted (a checked, certified or published release is"
                    + " kept; revoke a published one)");
          }
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("product", release.product().value());
          detail.put("version", release.version().toString());
          release.artifacts().forEach(a -> detail.withArray("artifacts").add(a.sha256().hex()));
          audit(repos, actor, now, "release.deleted", id, detail);
          return null;
        });
  }

  static Conflict illegal(Release release, String verb, String rule) {
    return new Conflict(
        ConflictKind.ILLEGAL_TRANSITION,
        "release "
            + release.id()
            + " is "
            + release.state()
            + " and cannot be "
            + verb
            + ": "
            + rule);
  }

  static Release requireRelease(ReleasePorts repos, ReleaseId id) {
    return repos
        .releases()
        .find(id)
        .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
  }

  static Release requireReleaseForUpdate(ReleasePorts repos, ReleaseId id) {
    return repos
        .releases()
        .findForUpdate(id)
        .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
  }

  static Product requireProduct(ReleasePorts repos, ProductName name) {
    return repos
        .products()
        .find(name)
        .orElseThrow(() -> new SluiceException.NotFound("product", name.value()));
  }

  static void audit(
      ReleasePorts repos,
      Principal actor,
      Instant at,
      String action,
      ReleaseId id,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, "release/" + id, detail));
  }
}
