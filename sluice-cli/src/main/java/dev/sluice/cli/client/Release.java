package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.release.ArtifactView;
import dev.sluice.api.release.CertificationView;
import dev.sluice.api.release.ReleaseView;
import dev.sluice.api.release.SignOffView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A release as the server reports it: the wire record, and the exact JSON received, which {@link
 * #json()} keeps for {@code --json} output. List entries are summaries: no check, no sign-offs, no
 * certification.
 */
public record Release(JsonNode json, ReleaseView view) {
  public Release {
    Answers.required(view.id(), "id", "a release");
    Answers.required(view.state(), "state", "a release");
  }

  public Release(JsonNode json) {
    this(json, Answers.bind(json, ReleaseView.class, "a release"));
  }

  public String id() {
    return view.id();
  }

  public String product() {
    return Answers.required(view.product(), "product", "a release");
  }

  public String version() {
    return Answers.required(view.version(), "version", "a release");
  }

  /** The state's wire name: draft, checked, blocked, certified, published or revoked. */
  public String state() {
    return view.state();
  }

  public String manifestSha256() {
    return Answers.required(view.manifestSha256(), "manifest_sha256", "a release");
  }

  public List<String> declaredArtifacts() {
    return view.declaredArtifacts();
  }

  public List<ArtifactView> artifacts() {
    return view.artifacts();
  }

  /** The last check's report, if the release was checked. */
  public Optional<Report> report() {
    return view.checkIfAny().map(c -> new Report(c.report()));
  }

  /** The digest of the last check's report, if the release was checked. */
  public Optional<String> reportSha256() {
    return view.checkIfAny().map(c -> c.reportSha256());
  }

  public List<SignOffView> signOffs() {
    return view.signoffs();
  }

  /**
   * How many approvals the product requires; absent from list entries, which the server sends as
   * summaries without certification details.
   */
  public OptionalInt threshold() {
    return view.certificationIfAny()
        .map(c -> OptionalInt.of(c.threshold()))
        .orElse(OptionalInt.empty());
  }

  public List<String> approvedBy() {
    return view.certificationIfAny().map(CertificationView::approvedBy).orElse(List.of());
  }

  public List<String> rejectedBy() {
    return view.certificationIfAny().map(CertificationView::rejectedBy).orElse(List.of());
  }

  public String createdBy() {
    return Answers.orEmpty(view.createdBy());
  }

  public String createdAt() {
    return Answers.orEmpty(view.createdAt());
  }

  public String updatedAt() {
    return Answers.orEmpty(view.updatedAt());
  }
}
