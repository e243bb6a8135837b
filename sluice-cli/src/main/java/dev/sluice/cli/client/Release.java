package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A release as the server reports it: typed accessors over the exact JSON received, which {@link
 * #json()} keeps for {@code --json} output.
 */
public record Release(JsonNode json) {
  public Release {
    Fields.object(json, "a release");
    Fields.text(json, "id");
    Fields.text(json, "state");
  }

  /** One uploaded artifact. */
  public record Artifact(String name, String sha256, long size) {}

  /** One certifier's recorded decision. */
  public record SignOff(
      String certifier,
      String keyId,
      String decision,
      Optional<String> reason,
      String statementSha256,
      String signedAt) {}

  public String id() {
    return Fields.text(json, "id");
  }

  public String product() {
    return Fields.text(json, "product");
  }

  public String version() {
    return Fields.text(json, "version");
  }

  /** The state's wire name: draft, checked, blocked, certified, published or revoked. */
  public String state() {
    return Fields.text(json, "state");
  }

  public String manifestSha256() {
    return Fields.text(json, "manifest_sha256");
  }

  public List<String> declaredArtifacts() {
    return Fields.texts(json, "declared_artifacts");
  }

  public List<Artifact> artifacts() {
    return Fields.objects(json, "artifacts").stream()
        .map(
            a ->
                new Artifact(
                    Fields.text(a, "name"), Fields.text(a, "sha256"), Fields.number(a, "size")))
        .toList();
  }

  /** The last check's report, if the release was checked. */
  public Optional<Report> report() {
    JsonNode check = json.get("check");
    if (check == null || !check.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Report(check.get("report")));
  }

  /** The digest of the last check's report, if the release was checked. */
  public Optional<String> reportSha256() {
    JsonNode check = json.get("check");
    return check == null || !check.isObject()
        ? Optional.empty()
        : Fields.optionalText(check, "report_sha256");
  }

  public List<SignOff> signOffs() {
    return Fields.objects(json, "signoffs").stream()
        .map(
            s ->
                new SignOff(
                    Fields.text(s, "certifier"),
                    Fields.text(s, "key_id"),
                    Fields.text(s, "decision"),
                    Fields.optionalText(s, "reason"),
                    Fields.text(s, "statement_sha256"),
                    Fields.optionalText(s, "signed_at").orElse("")))
        .toList();
  }

  /**
   * How many approvals the product requires; absent from list entries, which the server sends as
   * summaries without certification details.
   */
  public OptionalInt threshold() {
    JsonNode threshold = json.path("certification").get("threshold");
    return threshold != null && threshold.canConvertToInt()
        ? OptionalInt.of(threshold.asInt())
        : OptionalInt.empty();
  }

  public List<String> approvedBy() {
    return Fields.texts(json.path("certification"), "approved_by");
  }

  public List<String> rejectedBy() {
    return Fields.texts(json.path("certification"), "rejected_by");
  }

  public String createdBy() {
    return Fields.optionalText(json, "created_by").orElse("");
  }

  public String createdAt() {
    return Fields.optionalText(json, "created_at").orElse("");
  }

  public String updatedAt() {
    return Fields.optionalText(json, "updated_at").orElse("");
  }
}
