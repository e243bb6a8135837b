package dev.sluice.core.standards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The result of checking a release against a standards set: one {@link StandardResult} per
 * standard, in the set's order, and the verdict they imply. The verdict is {@link Verdict#BLOCKED}
 * exactly when some result {@linkplain StandardResult#blocks() blocks}; a report whose verdict
 * disagrees with its results cannot be constructed.
 */
public record CheckReport(
    String standardsSetId, int standardsVersion, List<StandardResult> results, Verdict verdict) {

  /** How one standard came out for a release. */
  public enum Outcome {
    /** The expression evaluated to {@code true}. */
    PASS,
    /** The expression evaluated to {@code false}. */
    FAIL,
    /** The expression could not be evaluated (e.g. a missing key); treated like a failure. */
    ERROR;

    /** The JSON form: {@code pass}, {@code fail} or {@code error}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The overall result of checking a release against its standards. */
  public enum Verdict {
    /** No error-severity standard failed or errored: the release may go on to certification. */
    PASSED,
    /** At least one error-severity standard failed or errored. */
    BLOCKED;

    /** The JSON form: {@code passed} or {@code blocked}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Set<String> TOP_FIELDS = Set.of("standards_set", "verdict", "results");
  private static final Set<String> SET_FIELDS = Set.of("id", "version");
  private static final Set<String> RESULT_FIELDS =
      Set.of("id", "title", "severity", "outcome", "message", "offenders", "error_detail");

  public CheckReport {
    Checks.slug(standardsSetId, "a standards set's id");
    if (standardsVersion < 1) {
      throw new IllegalArgumentException("a standards version is 1 or more");
    }
    results = List.copyOf(results);
    Objects.requireNonNull(verdict, "verdict");
    if (verdict != verdictOf(results)) {
      throw new IllegalArgumentException(
          "the verdict " + verdict + " contradicts the results, which give " + verdictOf(results));
    }
  }

  /** A report with the verdict its results imply. */
  public static CheckReport of(
      String standardsSetId, int standardsVersion, List<StandardResult> results) {
    return new CheckReport(standardsSetId, standardsVersion, results, verdictOf(results));
  }

  public boolean blocked() {
    return verdict == Verdict.BLOCKED;
  }

  /** The results that block the release. */
  public List<StandardResult> blocking() {
    return results.stream().filter(StandardResult::blocks).toList();
  }

  /**
   * The report as JSON, with snake_case keys and integers only, ready to be canonicalized and
   * hashed. {@code error_detail} is present only when there is one.
   */
  public ObjectNode toJson() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode json = nodes.objectNode();
    ObjectNode set = json.putObject("standards_set");
    set.put("id", standardsSetId);
    set.put("version", standardsVersion);
    json.put("verdict", verdict.wireName());
    ArrayNode array = json.putArray("results");
    for (StandardResult r : results) {
      ObjectNode o = array.addObject();
      o.put("id", r.id());
      o.put("title", r.title());
      o.put("severity", r.severity().wireName());
      o.put("outcome", r.outcome().wireName());
      o.put("message", r.message());
      ArrayNode offenders = o.putArray("offenders");
      r.offenders().forEach(offenders::add);
      if (r.errorDetail() != null) {
        o.put("error_detail", r.errorDetail());
      }
    }
    return json;
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @throws StandardsException when the JSON is not such a report
   */
  public static CheckReport fromJson(JsonNode json) {
    try {
      json = upgradeLegacy(json);
      requireFields(json, TOP_FIELDS, Set.of(), "the check report");
      List<StandardResult> results = new ArrayList<>();
      JsonNode array = json.get("results");
      if (!array.isArray()) {
        throw new IllegalArgumentException("results must be an array");
      }
      for (JsonNode r : array) {
        requireFields(
            r,
            Set.of("id", "title", "severity", "outcome", "message", "offenders"),
            RESULT_FIELDS,
            "a result");
        List<String> offenders = new ArrayList<>();
        JsonNode list = r.get("offenders");
        if (!list.isArray()) {
          throw new IllegalArgumentException("offenders must be an array");
        }
        list.forEach(o -> offenders.add(text(o, "an offender")));
        JsonNode detail = r.get("error_detail");
        results.add(
            new StandardResult(
                text(r.get("id"), "id"),
                text(r.get("title"), "title"),
                Severity.fromJson(text(r.get("severity"), "severity")),
                enumValue(Outcome.class, text(r.get("outcome"), "outcome")),
                text(r.get("message"), "message"),
                offenders,
                detail == null ? null : text(detail, "error_detail")));
      }
      JsonNode set = json.get("standards_set");
      if (set == null || !set.isObject()) {
        throw new IllegalArgumentException("standards_set must be an object");
      }
      set.fieldNames()
          .forEachRemaining(
              name -> {
                if (!SET_FIELDS.contains(name)) {
                  throw new IllegalArgumentException("unknown field standards_set." + name);
                }
              });
      JsonNode version = set.get("version");
      if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
        throw new IllegalArgumentException("standards_set.version must be an integer");
      }
      return new CheckReport(
          text(set.get("id"), "standards_set.id"),
          version.intValue(),
          results,
          enumValue(Verdict.class, text(json.get("verdict"), "verdict")));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new StandardsException("not a check report: " + e.getMessage(), e);
    }
  }

  /**
   * Reports stored by Sluice before check reports carried {@code standards_set {id, version}}
   * (schema V1 databases) had {@code standards_set_id} and {@code standards_version} at the top:
   * read them as the current form. Their stored digest still covers the bytes as they were.
   */
  private static JsonNode upgradeLegacy(JsonNode json) {
    if (json == null
        || !json.isObject()
        || json.has("standards_set")
        || !json.has("standards_set_id")
        || !json.has("standards_version")) {
      return json;
    }
    ObjectNode current = ((ObjectNode) json).deepCopy();
    ObjectNode set = JsonNodeFactory.instance.objectNode();
    set.set("id", current.remove("standards_set_id"));
    set.set("version", current.remove("standards_version"));
    current.set("standards_set", set);
    return current;
  }

  /**
   * The report for a terminal: one line per standard, the message and offenders under each one that
   * did not pass, then the verdict. Text from the release is stripped of control characters.
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Standards ")
        .append(standardsSetId)
        .append(" v")
        .append(standardsVersion)
        .append('\n');
    for (StandardResult r : results) {
      String label = r.outcome().name();
      if (r.outcome() != Outcome.PASS && r.severity() == Severity.WARNING) {
        label += " (warning)";
      }
      sb.append(String.format("  %-15s %s: %s%n", label, r.id(), safe(r.title())));
      if (r.outcome() != Outcome.PASS) {
        sb.append("                  ").append(safe(r.message())).append('\n');
        for (String offender : r.offenders()) {
          sb.append("                  - ").append(safe(offender)).append('\n');
        }
        if (r.errorDetail() != null) {
          sb.append("                  error: ").append(safe(r.errorDetail())).append('\n');
        }
      }
    }
    List<StandardResult> blocking = blocking();
    sb.append("Verdict: ").append(verdict.name());
    if (!blocking.isEmpty()) {
      sb.append(" by ")
          .append(String.join(", ", blocking.stream().map(StandardResult::id).toList()));
    }
    return sb.append('\n').toString();
  }

  private static Verdict verdictOf(List<StandardResult> results) {
    return results.stream().anyMatch(StandardResult::blocks) ? Verdict.BLOCKED : Verdict.PASSED;
  }

  private static String safe(String text) {
    return Checks.printable(text, 2000);
  }

  private static void requireFields(
      JsonNode json, Set<String> required, Set<String> optional, String what) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    for (String field : required) {
      if (!json.has(field)) {
        throw new IllegalArgumentException(what + " lacks " + field);
      }
    }
    json.fieldNames()
        .forEachRemaining(
            name -> {
              if (!required.contains(name) && !optional.contains(name)) {
                throw new IllegalArgumentException(what + " has an unknown field " + name);
              }
            });
  }

  // Only the lowercase wire names are accepted, so a report has exactly one JSON form.
  private static <E extends Enum<E>> E enumValue(Class<E> type, String wire) {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(wire)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " " + wire);
  }

  private static String text(JsonNode node, String what) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(what + " must be a string");
    }
    return node.textValue();
  }
}
