package dev.sluice.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.Rollout;
import dev.sluice.cli.output.Output;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A rollout for people: a headline, the settings, a stage table, and the halt reason. */
final class RolloutText {
  private RolloutText() {}

  static String headline(Rollout r) {
    return "rollout "
        + r.id()
        + ": "
        + Output.state(r.state())
        + (r.currentStage() == 0
            ? ", no stage offered yet (" + r.stageCount() + " stages)"
            : ", stage " + r.currentStage() + " of " + r.stageCount());
  }

  /** An ISO-8601 duration as people write it: {@code PT26H} is {@code 1d2h}. */
  static String human(String iso) {
    java.time.Duration d;
    try {
      d = java.time.Duration.parse(iso);
    } catch (java.time.format.DateTimeParseException e) {
      return iso;
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      out.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || out.isEmpty()) {
      out.append(d.toSecondsPart()).append('s');
    }
    return out.toString();
  }

  static void show(PrintWriter out, Rollout r) {
    JsonNode json = r.json();
    JsonNode spec = json.path("spec");
    out.println(headline(r));
    out.println("  release:      " + r.release() + " (" + r.product() + ")");
    out.println(
        "  filter:       "
            + (spec.path("filter").asText().isEmpty()
                ? "(all devices)"
                : spec.path("filter").asText()));
    out.println(
        "  actions:      "
            + spec.path("type").asText()
            + ", success = "
            + spec.path("confirmation").asText()
            + ", in-progress timeout "
            + human(spec.path("in_progress_timeout").asText())
            + ", attempts "
            + spec.path("retry").path("max_attempts").asInt(1)
            + (spec.path("dynamic").asBoolean() ? ", dynamic" : ""));
    if (spec.hasNonNull("start_at")) {
      out.println("  starts at:    " + spec.path("start_at").asText());
    }
    if (spec.hasNonNull("window")) {
      JsonNode w = spec.path("window");
      out.println(
          "  window:       "
              + w.path("schedule").asText()
              + " for "
              + human(w.path("duration").asText())
              + " ("
              + w.path("zone").asText()
              + ")");
    }
    if (spec.hasNonNull("sequential_test")) {
      JsonNode t = spec.path("sequential_test");
      out.println(
          "  sequential:   alpha "
              + t.path("alpha").asText()
              + ", beta "
              + t.path("beta").asText()
              + ", baseline failure rate "
              + (json.hasNonNull("baseline_failure_rate")
                  ? String.format(
                      java.util.Locale.ROOT,
                      "%.2f%%",
                      100 * json.path("baseline_failure_rate").asDouble())
                  : "(set at start)"));
    }
    out.println();
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode s : json.path("stages")) {
      int number = s.path("stage").asInt();
      String marker = number == r.currentStage() ? "▶ " : "  ";
      rows.add(
          List.of(
              marker + number,
              s.has("percent") ? s.path("percent").asText() + "%" : s.path("group").asText(),
              s.path("success_threshold").asText() + "%",
              s.path("error_threshold").asText() + "%",
              s.path("gate").asText(),
              s.path("assigned").asText(),
              s.path("open").asText(),
              s.path("succeeded").asText(),
              s.path("failed").asText(),
              s.path("canceled").asText()));
    }
    Output.table(
        out,
        List.of(
            "  STAGE",
            "DEVICES",
            "SUCCESS",
            "ERROR",
            "GATE",
            "ASSIGNED",
            "OPEN",
            "SUCCEEDED",
            "FAILED",
            "CANCELED"),
        rows);
    if (json.hasNonNull("gate_reply")) {
      out.println();
      out.println("gate reply: " + json.path("gate_reply").asText());
    }
    if (json.hasNonNull("halt")) {
      JsonNode h = json.path("halt");
      out.println();
      out.println(
          (r.state().equals("canceled") ? "canceled" : "HALTED")
              + " ("
              + h.path("kind").asText()
              + ") at "
              + h.path("at").asText()
              + " by "
              + h.path("by").asText()
              + ":");
      out.println("  " + h.path("message").asText());
    }
  }
}
