package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * One certifier's recorded decision on a release statement.
 *
 * @param decision {@code approve} or {@code reject}
 * @param reason why it was rejected; absent from approvals
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignOffView(
    String certifier,
    String keyId,
    String decision,
    @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
    String statementSha256,
    String signature,
    String signedAt) {

  /** The rejection's reason, if any. */
  public Optional<String> reasonIfAny() {
    return Optional.ofNullable(reason);
  }
}
