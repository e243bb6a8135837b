package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A DDI deployment ({@code .../deploymentBase/{actionId}}), as hawkBit shapes it: the action id (a
 * string), download and update handling ({@code skip}, {@code attempt}, {@code forced}), the
 * maintenance window ({@code available}/{@code unavailable}) and the chunks with their artifacts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
public record DeploymentBase(
    String id,
    Deployment deployment,
    @JsonInclude(JsonInclude.Include.NON_NULL) ActionHistory actionHistory) {
  /** A deployment without the device's message history. */
  public DeploymentBase(String id, Deployment deployment) {
    this(id, deployment, null);
  }

  /** How the device handles the deployment, and what it installs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  public record Deployment(
      String download,
      String update,
      @JsonInclude(JsonInclude.Include.NON_NULL) String maintenanceWindow,
      List<Chunk> chunks) {
    public Deployment {
      chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }
  }

  /** One software module: a part, its product name and version, metadata and artifacts. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  public record Chunk(
      String part,
      String version,
      String name,
      List<Metadata> metadata,
      List<DdiArtifact> artifacts) {
    public Chunk {
      metadata = metadata == null ? List.of() : List.copyOf(metadata);
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }
  }

  /**
   * A {@code {key, value}} pair of a chunk (Sluice sends {@code release_id}, {@code
   * manifest_sha256}).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Metadata(String key, String value) {}

  /** A file to download: its name, hashes, size and links ({@code download-http}, ...). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  public record DdiArtifact(
      String filename,
      Map<String, String> hashes,
      Long size,
      @JsonProperty("_links") Map<String, DdiLink> links) {
    public DdiArtifact {
      hashes = DdiMaps.ordered(hashes);
      links = DdiMaps.ordered(links);
    }
  }
}
