package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A freshly created API token. The server shows the secret only in this answer, so {@link
 * #toString()} leaves it out to keep it from logs by accident.
 */
public record IssuedToken(JsonNode json) {
  public IssuedToken {
    Fields.object(json, "a token");
    Fields.text(json, "token");
  }

  public String token() {
    return Fields.text(json, "token");
  }

  public String role() {
    return Fields.optionalText(json, "role").orElse("");
  }

  public String label() {
    return Fields.optionalText(json, "label").orElse("");
  }

  public Optional<String> certifier() {
    return Fields.optionalText(json, "certifier");
  }

  public Optional<String> product() {
    return Fields.optionalText(json, "product");
  }

  @Override
  public String toString() {
    return "IssuedToken[role=" + role() + ", label=" + label() + "]";
  }
}
