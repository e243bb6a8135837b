package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.release.ReleaseId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON form of a {@link RolloutSpec}, used by the management API and for storage. {@link
 * #toJson} writes the full form (every stage as an object); {@link #fromJson} reads that and the
 * request shorthand: {@code "stages": [1, 10, 50, 100]} or {@code "groups": ["filter", ...]} with
 * top-level {@code success_threshold}, {@code error_threshold} and {@code gate} for every stage.
 * Unknown fields are refused. Errors are {@link IllegalArgumentException}s naming the field.
 */
public final class RolloutSpecJson {
  public static final int DEFAULT_SUCCESS_THRESHOLD = 95;
  public static final int DEFAULT_ERROR_THRESHOLD = 5;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> FIELDS =
      Set.of(
          "release",
          "filter",
          "stages",
          "groups",
          "success_threshold",
          "error_threshold",
          "gate",
          "type",
          "forced_at",
          "start_at",
          "window",
          "confirmation",
          "in_progress_timeout",
          "retry",
          "dynamic",
          "sequential_test",
          "consent");

  private RolloutSpecJson() {}

  public static ObjectNode toJson(RolloutSpec spec) {
    ObjectNode node = JSON.objectNode();
    node.put("release", spec.release().value());
    node.put("filter", spec.filter());
    ArrayNode stages = node.putArray("stages");
    for (StageSpec stage : spec.stages()) {
      ObjectNode s = stages.addObject();
      switch (stage.selection()) {
        case StageSelection.Percent p -> s.put("percent", p.cumulativePercent());
        case StageSelection.Group g -> s.put("group", g.filter());
      }
      s.put("success_threshold", stage.successThreshold());
      s.put("error_threshold", stage.errorThreshold());
      s.put("gate", stage.gate().wire());
    }
    node.put("type", spec.type().wireName());
    spec.forcedAt().ifPresent(t -> node.put("forced_at", t.toString()));
    spec.startAt().ifPresent(t -> node.put("start_at", t.toString()));
    spec.window()
        .ifPresent(
            w -> {
              ObjectNode window = node.putObject("window");
              window.put("schedule", w.schedule());
              window.put("duration", w.duration().toString());
              window.put("zone", w.zone().getId());
            });
    node.put("confirmation", confirmation(spec.confirmation()));
    node.put("in_progress_timeout", spec.inProgressTimeout().toString());
    ObjectNode retry = node.putObject("retry");
    retry.put("max_attempts", spec.retry().maxAttempts());
    ArrayNode on = retry.putArray("on");
    EnumSet.allOf(FailureKind.class).stream()
        .filter(spec.retry().retryOn()::contains)
        .forEach(k -> on.add(k.wireName()));
    node.put("dynamic", spec.dynamic());
    spec.sequentialTest()
        .ifPresentOrElse(
            t -> {
              ObjectNode test = node.putObject("sequential_test");
              test.put("alpha", t.alpha());
              test.put("beta", t.beta());
              t.baseline().ifPresent(b -> test.put("baseline", b));
            },
            () -> node.putNull("sequential_test"));
    if (spec.consent()) {
      node.put("consent", true);
    }
    return node;
  }

  public static RolloutSpec fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a rollout is a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + name
                + "'; allowed: "
                + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    ReleaseId release = field("release", () -> new ReleaseId(text(node, "release").orElse(null)));
    List<StageSpec> stages = field("stages", () -> stages(node));
    // Only what the document states is set: the defaults live in RolloutSpec.builder.
    RolloutSpec.Builder spec = RolloutSpec.builder(release, stages);
    text(node, "filter").ifPresent(spec::filter);
    field("type", () -> text(node, "type").map(ActionType::fromWireName)).ifPresent(spec::type);
    spec.forcedAt(field("forced_at", () -> text(node, "forced_at").map(RolloutSpecJson::instant)));
    spec.startAt(field("start_at", () -> text(node, "start_at").map(RolloutSpecJson::instant)));
    spec.window(field("window", () -> window(node.get("window"))));
    field("confirmation", () -> text(node, "confirmation").map(RolloutSpecJson::confirmation))
        .ifPresent(spec::confirmation);
    field(
            "in_progress_timeout",
            () -> text(node, "in_progress_timeout").map(RolloutSpecJson::duration))
        .ifPresent(spec::inProgressTimeout);
    if (present(node.get("retry"))) {
      spec.retry(field("retry", () -> retry(node.get("retry"))));
    }
    spec.dynamic(field("dynamic", () -> bool(node, "dynamic")));
    spec.sequentialTest(
        field("sequential_test", () -> sequentialTest(node.get("sequential_test"))));
    spec.consent(field("consent", () -> bool(node, "consent")));
    return spec.build();
  }

  private static List<StageSpec> stages(JsonNode node) {
    JsonNode stages = node.get("stages");
    JsonNode groups = node.get("groups");
    int success = integer(node, "success_threshold").orElse(DEFAULT_SUCCESS_THRESHOLD);
    int error = integer(node, "error_threshold").orElse(DEFAULT_ERROR_THRESHOLD);
    Gate gate = text(node, "gate").map(Gate::parse).orElse(Gate.NONE);
    List<StageSpec> out = new ArrayList<>();
    if (present(stages) && present(groups)) {
      throw new IllegalArgumentException("give stages (percentages) or groups, not both");
    }
    if (present(groups)) {
      for (JsonNode g : array(groups, "groups")) {
        if (!g.isTextual()) {
          throw new IllegalArgumentException("groups is a list of device filters");
        }
        out.add(stage(new StageSelection.Group(g.textValue()), success, error, gate, out));
      }
      return out;
    }
    if (!present(stages)) {
      throw new IllegalArgumentException("is required (e.g. [1, 10, 50, 100])");
    }
    for (JsonNode s : array(stages, "stages")) {
      if (s.isIntegralNumber()) {
        out.add(stage(new StageSelection.Percent(s.intValue()), success, error, gate, out));
      } else if (s.isObject()) {
        StageSelection selection =
            s.has("group")
                ? new StageSelection.Group(text(s, "group").orElse(""))
                : new StageSelection.Percent(
                    integer(s, "percent")
                        .orElseThrow(
                            () -> new IllegalArgumentException("a stage needs percent or group")));
        Gate own = text(s, "gate").map(Gate::parse).orElse(out.isEmpty() ? Gate.NONE : gate);
        out.add(
            new StageSpec(
                selection,
                integer(s, "success_threshold").orElse(success),
                integer(s, "error_threshold").orElse(error),
                out.isEmpty() ? Gate.NONE : own));
      } else {
        throw new IllegalArgumentException("a stage is a percentage or an object");
      }
    }
    return out;
  }

  /** The shorthand's gate applies to every stage but the first (which the operator starts). */
  private static StageSpec stage(
      StageSelection selection, int success, int error, Gate gate, List<StageSpec> before) {
    return new StageSpec(selection, success, error, before.isEmpty() ? Gate.NONE : gate);
  }

  private static Optional<MaintenanceWindow> window(JsonNode w) {
    if (!present(w)) {
      return Optional.empty();
    }
    if (!w.isObject()) {
      throw new IllegalArgumentException("is an object {schedule, duration, zone}");
    }
    String schedule =
        text(w, "schedule").orElseThrow(() -> new IllegalArgumentException("needs a schedule"));
    Duration duration =
        duration(
            text(w, "duration")
                .orElseThrow(() -> new IllegalArgumentException("needs a duration")));
    ZoneId zone;
    try {
      zone = ZoneId.of(text(w, "zone").orElse("UTC"));
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("has an unknown time zone: " + e.getMessage());
    }
    return Optional.of(new MaintenanceWindow(schedule, duration, zone));
  }

  private static RetryPolicy retry(JsonNode r) {
    if (!present(r)) {
      return RetryPolicy.NONE;
    }
    if (!r.isObject()) {
      throw new IllegalArgumentException("is an object {max_attempts, on}");
    }
    int max = integer(r, "max_attempts").orElse(1);
    JsonNode on = r.get("on");
    if (!present(on)) {
      return RetryPolicy.upTo(max);
    }
    Set<FailureKind> kinds = EnumSet.noneOf(FailureKind.class);
    for (JsonNode k : array(on, "on")) {
      kinds.add(FailureKind.fromWire(k.asText()));
    }
    return new RetryPolicy(max, kinds);
  }

  private static Optional<SequentialTestSpec> sequentialTest(JsonNode t) {
    if (!present(t) || (t.isBoolean() && !t.booleanValue())) {
      return Optional.empty();
    }
    if (t.isBoolean()) {
      return Optional.of(SequentialTestSpec.DEFAULT);
    }
    if (!t.isObject()) {
      throw new IllegalArgumentException("is true, false or {alpha, beta, baseline}");
    }
    return Optional.of(
        new SequentialTestSpec(
            number(t, "alpha").orElse(SequentialTestSpec.DEFAULT.alpha()),
            number(t, "beta").orElse(SequentialTestSpec.DEFAULT.beta()),
            number(t, "baseline")));
  }

  public static String confirmation(ConfirmationPolicy policy) {
    return switch (policy) {
      case RUNNING_VERSION -> "running-version";
      case DDI_SUCCESS -> "ddi-success";
    };
  }

  static ConfirmationPolicy confirmation(String text) {
    return switch (text) {
      case "running-version" -> ConfirmationPolicy.RUNNING_VERSION;
      case "ddi-success" -> ConfirmationPolicy.DDI_SUCCESS;
      default ->
          throw new IllegalArgumentException(
              "is running-version or ddi-success; got '" + text + "'");
    };
  }

  /**
   * ISO-8601 ({@code PT2H}) or a number with a unit: {@code 90s}, {@code 30m}, {@code 2h}, {@code
   * 7d}.
   */
  public static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      }
      if (t.matches("[0-9]{1,9}[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    } catch (DateTimeParseException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "is a duration like 30m, 2h, 7d or PT2H; got '" + text + "'");
  }

  static Instant instant(String text) {
    try {
      Instant instant = Instant.parse(text);
      if (!dev.sluice.core.Text.inRange(instant)) {
        throw new IllegalArgumentException(
            "is an instant between "
                + dev.sluice.core.Text.MIN_INSTANT
                + " and "
                + dev.sluice.core.Text.MAX_INSTANT
                + "; got '"
                + text
                + "'");
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "is an instant like 2026-01-31T02:00:00Z; got '" + text + "'");
    }
  }

  private interface Read<T> {
    T get();
  }

  /** Runs {@code read}, prefixing any validation message with the field's name. */
  private static <T> T field(String name, Read<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "is invalid" : e.getMessage();
      throw new IllegalArgumentException(
          message.startsWith(name) ? message : name + ": " + message, e);
    }
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }

  private static List<JsonNode> array(JsonNode n, String name) {
    if (!n.isArray()) {
      throw new IllegalArgumentException(name + " is a list");
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private static Optional<String> text(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (!present(v)) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(name + " is a string");
    }
    return Optional.of(v.textValue());
  }

  private static Optional<Integer> integer(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (!present(v)) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(name + " is an integer");
    }
    return Optional.of(v.intValue());
  }

  private static Optional<Double> number(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (!present(v)) {
      return Optional.empty();
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(name + " is a number");
    }
    return Optional.of(v.doubleValue());
  }

  private static boolean bool(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (!present(v)) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(name + " is true or false");
    }
    return v.booleanValue();
  }
}
