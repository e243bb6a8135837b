package dev.sluice.server.ddi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.Feedback;
import dev.sluice.core.manifest.Version;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads DDI request bodies. Feedback comes in the current form ({@code timestamp}) and the older
 * one ({@code id}, {@code time}); unknown fields are ignored, as DDI clients of different ages send
 * different extras. What is required: {@code status.execution}; {@code status.result.finished}
 * (taken as {@code none} if absent).
 */
final class FeedbackBodies {
  private FeedbackBodies() {}

  static JsonNode object(byte[] body) {
    JsonNode node;
    try {
      node = WireJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new SluiceException.InvalidInput("the body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new SluiceException.InvalidInput("the body must be a JSON object");
    }
    return node;
  }

  static Feedback feedback(byte[] body, ActionId pathId) {
    JsonNode root = object(body);
    JsonNode id = root.get("id");
    if (id != null && !id.isNull() && !(id.isTextual() && id.asText().isEmpty())) {
      if (!(id.isTextual() || id.isIntegralNumber()) || !id.asText().equals(pathId.toString())) {
        throw new SluiceException.InvalidInput(
            "the feedback's id does not match the action in the URL");
      }
    }
    JsonNode status = root.get("status");
    if (status == null || !status.isObject()) {
      throw new SluiceException.InvalidInput("feedback needs a status object");
    }
    Feedback.Execution execution;
    Feedback.Result result;
    try {
      execution = Feedback.Execution.fromWire(text(status, "execution", "status.execution"));
      JsonNode r = status.get("result");
      if (r != null && !r.isNull() && !r.isObject()) {
        throw new SluiceException.InvalidInput("status.result must be an object");
      }
      JsonNode finished = r == null ? null : r.get("finished");
      result =
          finished == null || finished.isNull()
              ? Feedback.Result.NONE
              : Feedback.Result.fromWire(text(r, "finished", "status.result.finished"));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(e.getMessage());
    }
    List<String> details = new ArrayList<>();
    JsonNode d = status.get("details");
    if (d != null && !d.isNull()) {
      if (!d.isArray()) {
        throw new SluiceException.InvalidInput("status.details must be an array of strings");
      }
      d.forEach(x -> details.add(x.isTextual() ? x.asText() : x.toString()));
    }
    Optional<Integer> code = Optional.empty();
    JsonNode c = status.get("code");
    if (c != null && !c.isNull()) {
      if (!c.canConvertToInt() || !c.isIntegralNumber()) {
        throw new SluiceException.InvalidInput("status.code must be an integer");
      }
      code = Optional.of(c.intValue());
    }
    Optional<Feedback.Progress> progress = Optional.empty();
    JsonNode r = status.get("result");
    JsonNode p = r == null ? null : r.get("progress");
    if (p != null && p.isObject()) {
      JsonNode cnt = p.get("cnt");
      JsonNode of = p.get("of");
      if (cnt != null && of != null && cnt.isIntegralNumber() && of.isIntegralNumber()) {
        progress = Optional.of(new Feedback.Progress(cnt.longValue(), of.longValue()));
      }
    }
    return new Feedback(execution, result, String.join("\n", details), code, progress);
  }

  /** configData: {@code data} (string values; numbers and booleans are taken as text), mode. */
  record ConfigData(Map<String, String> data, String mode) {}

  static ConfigData configData(byte[] body) {
    JsonNode root = object(body);
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new SluiceException.InvalidInput("configData needs a data object");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (var f : data.properties()) {
      JsonNode v = f.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw new SluiceException.InvalidInput(
            "configData value '" + f.getKey() + "' must be a string");
      }
      map.put(f.getKey(), v.asText());
    }
    JsonNode mode = root.get("mode");
    String m = mode == null || mode.isNull() ? "merge" : mode.asText();
    if (!m.equals("merge") && !m.equals("replace") && !m.equals("remove")) {
      throw new SluiceException.InvalidInput("configData mode is merge, replace or remove");
    }
    return new ConfigData(map, m);
  }

  /** installedBase PUT: hawkBit's {@code name} (optional here) and {@code version}. */
  record Installed(Optional<String> name, Version version) {}

  static Installed installed(byte[] body) {
    JsonNode root = object(body);
    JsonNode version = root.get("version");
    if (version == null || !version.isTextual()) {
      throw new SluiceException.InvalidInput("installedBase needs a version string");
    }
    JsonNode name = root.get("name");
    if (name != null && !name.isNull() && !name.isTextual()) {
      throw new SluiceException.InvalidInput("installedBase's name must be a string");
    }
    Optional<String> product =
        name == null || name.isNull() || name.asText().isBlank()
            ? Optional.empty()
            : Optional.of(name.asText().strip());
    try {
      return new Installed(product, Version.parse(version.asText().strip()));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(e.getMessage());
    }
  }

  /** A confirmationBase feedback: {@code confirmation} confirmed or denied, optional details. */
  record Consent(boolean confirmed, String details) {}

  static Consent consent(byte[] body) {
    JsonNode root = object(body);
    JsonNode c = root.get("confirmation");
    if (c == null || !c.isTextual()) {
      throw new SluiceException.InvalidInput("confirmation is 'confirmed' or 'denied'");
    }
    boolean confirmed =
        switch (c.asText()) {
          case "confirmed" -> true;
          case "denied" -> false;
          default ->
              throw new SluiceException.InvalidInput(
                  "confirmation is 'confirmed' or 'denied'; got '" + c.asText() + "'");
        };
    JsonNode code = root.get("code");
    if (code != null && !code.isNull() && !(code.isIntegralNumber() && code.canConvertToInt())) {
      throw new SluiceException.InvalidInput("code must be an integer");
    }
    List<String> details = new ArrayList<>();
    JsonNode d = root.get("details");
    if (d != null && !d.isNull()) {
      if (!d.isArray()) {
        throw new SluiceException.InvalidInput("details must be an array of strings");
      }
      d.forEach(x -> details.add(x.isTextual() ? x.asText() : x.toString()));
    }
    String text = String.join("\n", details);
    return new Consent(confirmed, text.length() > 4096 ? text.substring(0, 4096) : text);
  }

  /**
   * The messages of a stored feedback body, for DDI's actionHistory: its {@code status.details} (or
   * a consent answer's {@code details}); a body that no longer parses (it was cut when stored) is
   * one message as it is.
   */
  static List<String> messages(String stored) {
    JsonNode root;
    try {
      root = WireJson.MAPPER.readTree(stored);
    } catch (IOException e) {
      return List.of(stored);
    }
    if (root == null || !root.isObject()) {
      return List.of(stored);
    }
    JsonNode details = root.path("status").path("details");
    if (!details.isArray()) {
      details = root.path("details");
    }
    List<String> out = new ArrayList<>();
    if (details.isArray()) {
      for (JsonNode d : details) {
        out.add(d.isTextual() ? d.asText() : d.toString());
      }
    }
    JsonNode code = root.path("status").path("code");
    if (code.isIntegralNumber()) {
      out.add("Device reported status code: " + code.asText());
    }
    return out.reversed();
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new SluiceException.InvalidInput(where + " must be a string");
    }
    return v.asText();
  }
}
