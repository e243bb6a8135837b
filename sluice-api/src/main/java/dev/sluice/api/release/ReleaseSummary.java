package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A release as listed: identity, state and artifacts, without its check and sign-offs.
 *
 * @param state the state's wire name: draft, checked, blocked, certified, published or revoked
 * @param declaredArtifacts the artifact names the manifest declares
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseSummary(
    String id,
    String product,
    String version,
    String state,
    String manifestSha256,
    List<String> declaredArtifacts,
    List<ArtifactView> artifacts,
    String createdBy,
    String createdAt,
    String updatedAt) {
  public ReleaseSummary {
    declaredArtifacts = Lists.copy(declaredArtifacts);
    artifacts = Lists.copy(artifacts);
  }
}
