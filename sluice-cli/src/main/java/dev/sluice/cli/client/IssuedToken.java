package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.auth.TokenView;
import java.util.Optional;

/**
 * A freshly created API token. The server shows the secret only in this answer, so {@link
 * #toString()} leaves it out to keep it from logs by accident.
 */
public record IssuedToken(JsonNode json, TokenView view) {
  public IssuedToken {
    Answers.required(view.token(), "token", "a token");
  }

  public IssuedToken(JsonNode json) {
    this(json, Answers.bind(json, TokenView.class, "a token"));
  }

  public String token() {
    return view.token();
  }

  public String role() {
    return Answers.orEmpty(view.role());
  }

  public String label() {
    return Answers.orEmpty(view.label());
  }

  public Optional<String> certifier() {
    return Optional.ofNullable(view.certifier());
  }

  public Optional<String> product() {
    return Optional.ofNullable(view.product());
  }

  @Override
  public String toString() {
    return "IssuedToken[role=" + role() + ", label=" + label() + "]";
  }
}
