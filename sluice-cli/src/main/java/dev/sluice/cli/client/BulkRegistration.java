package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to a bulk registration: how many, and the generated tokens (shown only here). */
public record BulkRegistration(JsonNode json) {
  public BulkRegistration {
    Fields.object(json, "a bulk registration");
  }

  public long count() {
    return Fields.number(json, "count");
  }

  /** Controller id to generated token, in file order; devices with their own token are absent. */
  public Map<String, String> generatedTokens() {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode d : Fields.objects(json, "devices")) {
      Fields.optionalText(d, "token").ifPresent(t -> out.put(Fields.text(d, "controller_id"), t));
    }
    return out;
  }

  @Override
  public String toString() {
    return "BulkRegistration[" + count() + " devices]";
  }
}
