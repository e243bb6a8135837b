package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * A release with its last check, its sign-offs and its certification tally. A client reading a list
 * entry ({@link ReleaseSummary}) into this record gets no check, no sign-offs and no certification.
 *
 * @param check the last standards check; {@code null} (sent as {@code null}) before any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseView(
    String id,
    String product,
    String version,
    String state,
    String manifestSha256,
    List<String> declaredArtifacts,
    List<ArtifactView> artifacts,
    String createdBy,
    String createdAt,
    String updatedAt,
    CheckView check,
    List<SignOffView> signoffs,
    CertificationView certification) {
  public ReleaseView {
    declaredArtifacts = Lists.copy(declaredArtifacts);
    artifacts = Lists.copy(artifacts);
    signoffs = Lists.copy(signoffs);
  }

  /** A summary with its check, sign-offs and certification. */
  public static ReleaseView of(
      ReleaseSummary s,
      CheckView check,
      List<SignOffView> signoffs,
      CertificationView certification) {
    return new ReleaseView(
        s.id(),
        s.product(),
        s.version(),
        s.state(),
        s.manifestSha256(),
        s.declaredArtifacts(),
        s.artifacts(),
        s.createdBy(),
        s.createdAt(),
        s.updatedAt(),
        check,
        signoffs,
        certification);
  }

  public Optional<CheckView> checkIfAny() {
    return Optional.ofNullable(check);
  }

  public Optional<CertificationView> certificationIfAny() {
    return Optional.ofNullable(certification);
  }
}
