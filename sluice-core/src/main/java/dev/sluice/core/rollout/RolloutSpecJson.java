package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.RequestReader;
import dev.sluice.api.WireJson;
import dev.sluice.api.rollout.RolloutRequest;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Text;
import dev.sluice.core.Violations;
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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RolloutSpec} and its wire record {@link RolloutRequest}, which is also the form it is
 * stored in. {@link #toWire} writes the full form (every stage as an object); {@link #fromWire}
 * reads that and the request shorthand ({@code "stages": [1, 10, 50, 100]} or {@code "groups"} with
 * top-level thresholds and gate), recording every problem in a {@link Violations}.
 */
public final class RolloutSpecJson {
  public static final int DEFAULT_SUCCESS_THRESHOLD = 95;
  public static final int DEFAULT_ERROR_THRESHOLD = 5;
  private static final RequestReader.TextRule TEXT_RULE =
      (text, multiline) -> Text.problem(text, Text.MAX_FIELD, multiline);

  private RolloutSpecJson() {}

  /** The full form as a tree (stored in the database, shown in audit details). */
  public static ObjectNode toJson(RolloutSpec spec) {
    return WireJson.MAPPER.valueToTree(toWire(spec));
  }

  /**
   * A stored (or otherwise already parsed) specification.
   *
   * @throws SluiceException.InvalidInput naming every problem
   */
  public static RolloutSpec fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new SluiceException.InvalidInput("a rollout is a JSON object");
    }
    RequestReader.Read<RolloutRequest> read =
        RequestReader.read(node, RolloutRequest.class, TEXT_RULE);
    Violations violations = new Violations();
    violations.addWire(read.violations());
    return fromWire(read.value(), violations);
  }

  /** The full form: every stage an object, every setting stated. */
  public static RolloutRequest toWire(RolloutSpec spec) {
    List<RolloutRequest.Stage> stages =
        spec.stages().stream()
            .map(
                stage ->
                    new RolloutRequest.Stage(
                        stage.selection() instanceof StageSelection.Percent p
                            ? p.cumulativePercent()
                            : null,
                        stage.selection() instanceof StageSelection.Group g ? g.filter() : null,
                        stage.successThreshold(),
                        stage.errorThreshold(),
                        stage.gate().wire()))
            .toList();
    List<String> retryOn =
        EnumSet.allOf(FailureKind.class).stream()
            .filter(spec.retry().retryOn()::contains)
            .map(FailureKind::wireName)
            .toList();
    return new RolloutRequest(
        spec.release().value(),
        spec.filter(),
        stages,
        null,
        null,
        null,
        null,
        spec.type().wireName(),
        spec.forcedAt().map(Instant::toString).orElse(null),
        spec.startAt().map(Instant::toString).orElse(null),
        spec.window()
            .map(
                w ->
                    new RolloutRequest.Window(
                        w.schedule(), w.duration().toString(), w.zone().getId()))
            .orElse(null),
        confirmation(spec.confirmation()),
        spec.inProgressTimeout().toString(),
        new RolloutRequest.Retry(spec.retry().maxAttempts(), retryOn),
        spec.dynamic(),
        spec.sequentialTest()
            .map(
                t ->
                    new RolloutRequest.SequentialTest(
                        t.alpha(), t.beta(), t.baseline().orElse(null)))
            .orElse(null),
        spec.consent() ? true : null);
  }

  /**
   * The specification a request states; only what it states is set, the defaults live in {@link
   * RolloutSpec#builder}. Each field's problem goes into {@code violations}, with those found while
   * reading the body.
   *
   * @throws SluiceException.InvalidInput naming every problem, if there is one
   */
  public static RolloutSpec fromWire(RolloutRequest request, Violations violations) {
    ReleaseId release = violations.check("release", () -> new ReleaseId(request.release()));
    List<StageSpec> stages = stages(request, violations);
    Optional<ActionType> type =
        violations.check(
            "type", () -> Optional.ofNullable(request.type()).map(ActionType::fromWireName));
    Optional<Instant> forcedAt =
        violations.check(
            "forced_at",
            () -> Optional.ofNullable(request.forcedAt()).map(t -> instant("forced_at", t)));
    Optional<Instant> startAt =
        violations.check(
            "start_at",
            () -> Optional.ofNullable(request.startAt()).map(t -> instant("start_at", t)));
    Optional<MaintenanceWindow> window =
        violations.check(
            "window", () -> Optional.ofNullable(request.window()).map(RolloutSpecJson::window));
    Optional<ConfirmationPolicy> confirmation =
        violations.check(
            "confirmation",
            () -> Optional.ofNullable(request.confirmation()).map(RolloutSpecJson::confirmation));
    Optional<Duration> timeout =
        violations.check(
            "in_progress_timeout",
            () ->
                Optional.ofNullable(request.inProgressTimeout())
                    .map(t -> duration("in_progress_timeout", t)));
    Optional<RetryPolicy> retry =
        violations.check(
            "retry", () -> Optional.ofNullable(request.retry()).map(RolloutSpecJson::retry));
    Optional<SequentialTestSpec> test =
        violations.check(
            "sequential_test",
            () ->
                Optional.ofNullable(request.sequentialTest()).map(RolloutSpecJson::sequentialTest));
    violations.throwIfAny();
    RolloutSpec built =
        violations.check(
            "",
            () -> {
              RolloutSpec.Builder spec = RolloutSpec.builder(release, stages);
              Optional.ofNullable(request.filter()).ifPresent(spec::filter);
              type.ifPresent(spec::type);
              spec.forcedAt(forcedAt);
              spec.startAt(startAt);
              spec.window(window);
              confirmation.ifPresent(spec::confirmation);
              timeout.ifPresent(spec::inProgressTimeout);
              retry.ifPresent(spec::retry);
              spec.dynamic(Boolean.TRUE.equals(request.dynamic()));
              spec.sequentialTest(test);
              spec.consent(Boolean.TRUE.equals(request.consent()));
              return spec.build();
            });
    violations.throwIfAny();
    return built;
  }

  private static List<StageSpec> stages(RolloutRequest request, Violations violations) {
    int success = Objects.requireNonNullElse(request.successThreshold(), DEFAULT_SUCCESS_THRESHOLD);
    int error = Objects.requireNonNullElse(request.errorThreshold(), DEFAULT_ERROR_THRESHOLD);
    Gate gate =
        violations.check(
            "gate", () -> request.gate() == null ? Gate.NONE : Gate.parse(request.gate()));
    List<StageSpec> out = new ArrayList<>();
    if (request.stages() != null && request.groups() != null) {
      violations.check(
          "groups",
          () -> {
            throw new IllegalArgumentException("give stages (percentages) or groups, not both");
          });
      return out;
    }
    if (request.groups() != null) {
      for (String group : request.groups()) {
        out.add(stage(new StageSelection.Group(group), success, error, gate, out));
      }
      return out;
    }
    if (request.stages() == null) {
      violations.check(
          "stages",
          () -> {
            throw new IllegalArgumentException("stages is required (e.g. [1, 10, 50, 100])");
          });
      return out;
    }
    for (int i = 0; i < request.stages().size(); i++) {
      RolloutRequest.Stage s = request.stages().get(i);
      StageSpec stage =
          violations.check(
              "stages/" + i,
              () -> {
                StageSelection selection =
                    s.group() != null
                        ? new StageSelection.Group(s.group())
                        : new StageSelection.Percent(
                            Optional.ofNullable(s.percent())
                                .orElseThrow(
                                    () ->
                                        new IllegalArgumentException(
                                            "a stage needs percent or group")));
                Gate own = s.gate() == null ? gate : Gate.parse(s.gate());
                return new StageSpec(
                    selection,
                    Objects.requireNonNullElse(s.successThreshold(), success),
                    Objects.requireNonNullElse(s.errorThreshold(), error),
                    out.isEmpty() || own == null ? Gate.NONE : own);
              });
      if (stage != null) {
        out.add(stage);
      }
    }
    return out;
  }

  /** The shorthand's gate applies to every stage but the first (which the operator starts). */
  private static StageSpec stage(
      StageSelection selection, int success, int error, Gate gate, List<StageSpec> before) {
    return new StageSpec(
        selection, success, error, before.isEmpty() || gate == null ? Gate.NONE : gate);
  }

  private static MaintenanceWindow window(RolloutRequest.Window w) {
    Duration duration = duration("window.duration", w.duration());
    ZoneId zone;
    try {
      zone = ZoneId.of(Objects.requireNonNullElse(w.zone(), "UTC"));
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("window has an unknown time zone: " + e.getMessage());
    }
    return new MaintenanceWindow(w.schedule(), duration, zone);
  }

  private static RetryPolicy retry(RolloutRequest.Retry r) {
    int max = Objects.requireNonNullElse(r.maxAttempts(), 1);
    if (r.on() == null) {
      return RetryPolicy.upTo(max);
    }
    Set<FailureKind> kinds = EnumSet.noneOf(FailureKind.class);
    for (String kind : r.on()) {
      kinds.add(FailureKind.fromWire(kind));
    }
    return new RetryPolicy(max, kinds);
  }

  private static SequentialTestSpec sequentialTest(RolloutRequest.SequentialTest t) {
    return new SequentialTestSpec(
        Objects.requireNonNullElse(t.alpha(), SequentialTestSpec.DEFAULT.alpha()),
        Objects.requireNonNullElse(t.beta(), SequentialTestSpec.DEFAULT.beta()),
        Optional.ofNullable(t.baseline()));
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
              "confirmation is running-version or ddi-success; got '" + text + "'");
    };
  }

  /**
   * ISO-8601 ({@code PT2H}) or a number with a unit: {@code 90s}, {@code 30m}, {@code 2h}, {@code
   * 7d}.
   */
  public static Duration duration(String text) {
    return duration("duration", text);
  }

  private static Duration duration(String field, String text) {
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
        field + " is a duration like 30m, 2h, 7d or PT2H; got '" + text + "'");
  }

  static Instant instant(String field, String text) {
    try {
      Instant instant = Instant.parse(text);
      if (!Text.inRange(instant)) {
        throw new IllegalArgumentException(
            field
                + " is an instant between "
                + Text.MIN_INSTANT
                + " and "
                + Text.MAX_INSTANT
                + "; got '"
                + text
                + "'");
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " is an instant like 2026-01-31T02:00:00Z; got '" + text + "'");
    }
  }
}
