package dev.sluice.api.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Every API token, without secrets. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenList(List<TokenView> tokens) {
  public TokenList {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
  }
}
