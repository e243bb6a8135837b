package dev.sluice.api.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * An API token without its secret (the server does not keep it), except in the answer to its
 * creation. Optional members are left out; {@link #toString()} leaves the secret out.
 *
 * @param role the role's wire name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenView(
    String id,
    String label,
    String role,
    @JsonInclude(JsonInclude.Include.NON_NULL) String certifier,
    @JsonInclude(JsonInclude.Include.NON_NULL) String product,
    String createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String expiresAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String revokedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

  /** This token as answered to its creation, with its secret (shown only then). */
  public TokenView withSecret(String secret) {
    return new TokenView(
        id, label, role, certifier, product, createdAt, expiresAt, revokedAt, secret);
  }

  public Optional<String> secretIfAny() {
    return Optional.ofNullable(token);
  }

  @Override
  public String toString() {
    return "TokenView[" + id + ", " + role + "]";
  }
}
