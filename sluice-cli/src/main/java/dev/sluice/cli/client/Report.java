package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.release.CheckReportView;
import java.util.List;

/** A standards check report: the wire record and the exact JSON received (for {@code --json}). */
public record Report(JsonNode json, CheckReportView view) {
  public Report {
    Answers.required(view.verdict(), "verdict", "a check report");
  }

  public Report(JsonNode json) {
    this(json, Answers.bind(json, CheckReportView.class, "a check report"));
  }

  /** {@code passed} or {@code blocked}. */
  public String verdict() {
    return view.verdict();
  }

  public boolean passed() {
    return verdict().equals("passed");
  }

  public String standardsSetId() {
    return view.standardsSet() == null || view.standardsSet().id() == null
        ? "?"
        : view.standardsSet().id();
  }

  public long standardsVersion() {
    return view.standardsSet() == null ? 0 : view.standardsSet().version();
  }

  public List<CheckReportView.Result> results() {
    return view.results();
  }
}
