package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to a bulk registration: how many, and the generated tokens (shown only here). */
public record BulkRegistration(JsonNode json, dev.sluice.api.device.BulkRegistration view) {
  public BulkRegistration(JsonNode json) {
    this(
        json,
        Answers.bind(json, dev.sluice.api.device.BulkRegistration.class, "a bulk registration"));
  }

  public long count() {
    return view.count();
  }

  /** Controller id to generated token, in file order; devices with their own token are absent. */
  public Map<String, String> generatedTokens() {
    Map<String, String> out = new LinkedHashMap<>();
    view.devices().forEach(d -> d.tokenIfAny().ifPresent(t -> out.put(d.controllerId(), t)));
    return out;
  }

  @Override
  public String toString() {
    return "BulkRegistration[" + count() + " devices]";
  }
}
