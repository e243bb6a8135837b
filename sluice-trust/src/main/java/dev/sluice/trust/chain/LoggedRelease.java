package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code release} or {@code revocation} record of format {@code sluice.release-record/v2}, as
 * read from the log (docs/records.md). Parsing checks shape only; {@link ReleaseChainVerifier}
 * checks what it claims.
 */
public record LoggedRelease(
    boolean revocation,
    String releaseId,
    String product,
    String version,
    List<Artifact> artifacts,
    Sha256 manifestSha256,
    String standardsId,
    long standardsVersion,
    Sha256 reportSha256,
    Sha256 statementSha256,
    PolicyRef policy,
    List<SignOff> signoffs,
    Optional<String> reason,
    String time) {

  /** The format this class reads. */
  public static final String FORMAT = "sluice.release-record/v2";

  /** The type tag of the release statement certifiers sign. */
  public static final String STATEMENT_TYPE = "sluice.release-statement/v1";

  /** One artifact of the release. */
  public record Artifact(String name, Sha256 sha256, long size) {
    public Artifact {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative");
      }
    }
  }

  /** A certifier's approval: base64 signature over the statement by key {@code keyId}. */
  public record SignOff(String certifier, String keyId, String signature) {
    public SignOff {
      Objects.requireNonNull(certifier, "certifier");
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(signature, "signature");
    }
  }

  public LoggedRelease {
    artifacts = List.copyOf(artifacts);
    signoffs = List.copyOf(signoffs);
    Objects.requireNonNull(reason, "reason");
  }

  /** The artifact with this name, if the record lists it. */
  public Optional<Artifact> artifact(String name) {
    return artifacts.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * The release statement rebuilt from the record's fields: the exact bytes each certifier signed
   * (canonical JSON, artifacts sorted by name).
   */
  public byte[] statementBytes() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode statement = f.objectNode();
    statement.put("type", STATEMENT_TYPE);
    statement.put("product", product);
    statement.put("version", version);
    ArrayNode list = statement.putArray("artifacts");
    artifacts.stream()
        .sorted(java.util.Comparator.comparing(Artifact::name))
        .forEach(
            a ->
                list.addObject()
                    .put("name", a.name())
                    .put("sha256", a.sha256().hex())
                    .put("size", a.size()));
    statement.put("manifest_sha256", manifestSha256.hex());
    statement.putObject("standards").put("id", standardsId).put("version", standardsVersion);
    statement.put("report_sha256", reportSha256.hex());
    return CanonicalJson.encode(statement);
  }
}
