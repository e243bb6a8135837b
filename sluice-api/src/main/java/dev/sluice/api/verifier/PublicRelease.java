package dev.sluice.api.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.release.ArtifactView;
import dev.sluice.api.release.SignOffView;
import java.util.List;
import java.util.Optional;

/**
 * A release past DRAFT as the public sees it (no creator): its statement and check report (the
 * signed and hashed documents, as trees), its sign-offs and where it stands against the policy.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicRelease(
    @JsonUnwrapped Summary summary,
    JsonNode statement,
    String statementSha256,
    JsonNode report,
    String reportSha256,
    String checkedAt,
    List<SignOffView> signoffs,
    Certification certification) {

  /** A release as listed; {@code manifest} is the path of its manifest's exact bytes. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Summary(
      String id,
      String product,
      String version,
      String state,
      String manifestSha256,
      String manifest,
      List<ArtifactView> artifacts,
      String updatedAt) {
    public Summary {
      artifacts = List.copyOf(artifacts);
    }
  }

  /** The tally against the policy in force (certifier ids sorted). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Certification(
      long policySequence,
      int threshold,
      List<String> approvedBy,
      List<String> rejectedBy,
      boolean thresholdReached) {
    public Certification {
      approvedBy = List.copyOf(approvedBy);
      rejectedBy = List.copyOf(rejectedBy);
    }
  }

  /**
   * {@code GET /api/v1/public/releases}: one page, newest first.
   *
   * @param next the cursor of the following page ({@code ?after=}); absent on the last page
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listing(
      List<Summary> releases, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
    public Listing {
      releases = List.copyOf(releases);
    }

    public Listing(List<Summary> releases) {
      this(releases, null);
    }

    public Optional<String> nextIfAny() {
      return Optional.ofNullable(next);
    }
  }
}
