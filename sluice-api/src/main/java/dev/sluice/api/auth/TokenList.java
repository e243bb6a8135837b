package dev.sluice.api.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of API tokens, without secrets, in id (creation) order.
 *
 * @param next the cursor of the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenList(
    List<TokenView> tokens, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public TokenList {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
  }

  public TokenList(List<TokenView> tokens) {
    this(tokens, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
