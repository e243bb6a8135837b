package dev.sluice.core.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Device actions: assigning releases, cancelling and failing them, and applying what devices report
 * through DDI. Every status change goes through {@link ActionTransitions}, is made with a
 * compare-and-set on the action's row, updates the device's status, and is told to the {@link
 * ActionListener} in the same transaction.
 *
 * <p>A device's reports only ever touch its own actions: an action id of another device is answered
 * as unknown ({@link SluiceException.NotFound}), so ids of other devices are not revealed.
 */
public final class ActionService<R extends ActionPorts> implements Assignments<R> {
  /**
   * The configData attribute keys that report the version a device runs, first present wins. A
   * device confirms a {@link ConfirmationPolicy#RUNNING_VERSION} action by reporting the release's
   * version under one of them (or through installedBase).
   */
  public static final List<String> VERSION_ATTRIBUTES =
      List.of("sluice.version", "sw_version", "swversion", "version");

  /** At most this many configData attributes are kept per device. */
  public static final int MAX_ATTRIBUTES = 128;

  /** A stored feedback body is cut to this many characters (the rest is dropped, and marked). */
  public static final int MAX_STORED_FEEDBACK = 4096;

  /**
   * At most this many feedback records are kept per action: the first {@link #KEEP_FIRST_FEEDBACK}
   * (how it started) and the most recent others (how it ended).
   */
  public static final int MAX_FEEDBACK_PER_ACTION = 100;

  public static final int KEEP_FIRST_FEEDBACK = 20;

  /** The execution of the record the server keeps when it first serves an action's artifact. */
  public static final String SERVER_DOWNLOAD = "server-download";

  public static final int MAX_ATTRIBUTE_KEY = 128;
  public static final int MAX_ATTRIBUTE_VALUE = 512;

  private final ActionListener<? super R> listener;
  private final Consumer<ControllerId> deviceChanged;

  public ActionService(ActionListener<? super R> listener) {
    this(listener, device -> {});
  }

  /**
   * @param listener told of every status change, in its transaction
   * @param deviceChanged told whenever a device's actions or reported state change (e.g. to drop a
   *     cached poll answer); it must not fail
   */
  public ActionService(ActionListener<? super R> listener, Consumer<ControllerId> deviceChanged) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.deviceChanged = Objects.requireNonNull(deviceChanged, "deviceChanged");
  }

  /** How configData attributes are applied (DDI {@code mode}). */
  public enum AttributeMode {
    MERGE,
    REPLACE,
    REMOVE
  }

  /** What a feedback changed: the action after it, and whether it was a replay of old news. */
  public record FeedbackOutcome(Action action, boolean replay) {}

  @Override
  public Action assign(R repos, NewAction spec, Instant at) {
    return assign(repos, actorOf(spec), spec, at);
  }

  /**
   * Like {@link #assign(ActionPorts, NewAction, Instant) assign}, naming who assigns in the audit.
   */
  public Action assign(R repos, String actor, NewAction requested, Instant at) {
    // Locked until the transaction ends: a concurrent assignment of the device (an operator's, a
    // rollout's) waits, then sees this one's action and supersedes it; never two open actions.
    Device device =
        repos
            .devices()
            .findForUpdate(requested.device())
            .orElseThrow(() -> new SluiceException.NotFound("device", requested.device().value()));
    if (device.decommissioned()) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          "device '" + requested.device() + "' is decommissioned; nothing can be assigned to it");
    }
    Release release =
        repos
            .releases()
            .find(requested.release())
            .orElseThrow(
                () -> new SluiceException.NotFound("release", requested.release().value()));
    NewAction spec = requested;
    if (release.state() != ReleaseState.PUBLISHED) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.NOT_READY,
          "only a published release can be assigned; "
              + release.id().value()
              + " is "
              + release.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (repos.releases().revocationRecorded(release.id())) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.NOT_READY,
          "release "
              + release.id().value()
              + " is being revoked; a revoked release cannot be assigned");
    }
    if (!release.product().equals(device.product())) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          "release "
              + release.id().value()
              + " is of product "
              + release.product().value()
              + " but device "
              + device.id().value()
              + " runs "
              + device.product().value());
    }
    for (Action open : repos.actions().openFor(spec.device())) {
      cancel(repos, actor, open.id(), "superseded by a new assignment", at);
    }
    if (!spec.consent() && repos.products().ddiSettings(release.product()).consent()) {
      spec = spec.withConsent(true);
    }
    Action action = repos.actions().insert(spec, at);
    repos.devices().setStatus(spec.device(), DeviceStatus.PENDING, at);
    changed(repos, spec.device(), at);
    repos.audit().append(assigned(actor, action, at));
    return action;
  }

  @Override
  public List<Action> assignLeading(R repos, List<NewAction> requested, Instant at) {
    if (requested.isEmpty()) {
      return List.of();
    }
    ReleaseId releaseId = requested.get(0).release();
    for (NewAction spec : requested) {
      if (!spec.release().equals(releaseId)) {
        throw new IllegalArgumentException("a run of assignments is of one release");
      }
    }
    // What is the same for every device, read once: any refusal is left to assign().
    Optional<Release> found = repos.releases().find(releaseId);
    if (found.isEmpty()
        || found.get().state() != ReleaseState.PUBLISHED
        || repos.releases().revocationRecorded(releaseId)) {
      return List.of();
    }
    Release release = found.get();
    List<ControllerId> ids = requested.stream().map(NewAction::device).toList();
    // Locked as assign() locks one device, so that an operator's assignment of one of them waits
    // for this transaction and then sees (and supersedes) the action it creates.
    Map<ControllerId, Device> devices = new java.util.HashMap<>();
    repos.devices().findAllForUpdate(ids).forEach(d -> devices.put(d.id(), d));
    java.util.Set<ControllerId> busy = repos.actions().withOpenActions(ids);
    boolean productConsent = repos.products().ddiSettings(release.product()).consent();
    java.util.Set<ControllerId> seen = new java.util.HashSet<>();
    List<NewAction> run = new java.util.ArrayList<>();
    for (NewAction spec : requested) {
      Device device = devices.get(spec.device());
      if (device == null
          || device.decommissioned()
          || !release.product().equals(device.product())
          || busy.contains(spec.device())
          || !seen.add(spec.device())) {
        break;
      }
      run.add(!spec.consent() && productConsent ? spec.withConsent(true) : spec);
    }
    if (run.isEmpty()) {
      return List.of();
    }
    List<Action> actions = repos.actions().insertAll(run, at);
    List<ControllerId> assigned = run.stream().map(NewAction::device).toList();
    repos.devices().setStatusAll(assigned, DeviceStatus.PENDING, at);
    repos.deviceChanges().recordAll(assigned, at);
    assigned.forEach(deviceChanged);
    repos.audit().appendAll(actions.stream().map(a -> assigned(actorOf(a.spec()), a, at)).toList());
    return actions;
  }

  private static String actorOf(NewAction spec) {
    return spec.rollout().map(r -> "rollout/" + r).orElse("system");
  }

  private static AuditEvent assigned(String actor, Action action, Instant at) {
    NewAction spec = action.spec();
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("device", spec.device().value());
    detail.put("release", spec.release().value());
    detail.put("type", spec.type().wireName());
    detail.put("confirmation", spec.confirmation().name().toLowerCase(java.util.Locale.ROOT));
    spec.rollout().ifPresent(r -> detail.put("rollout", r));
    if (spec.consent()) {
      detail.put("consent", true);
    }
    return AuditEvent.draft(at, actor, "action.assigned", subject(action.id()), detail);
  }

  @Override
  public Action cancel(R repos, ActionId id, String reason, Instant at) {
    return cancel(repos, "system", id, reason, at);
  }

  /** Cancels an open action, naming who cancels in the audit trail. */
  public Action cancel(R repos, String actor, ActionId id, String reason, Instant at) {
    Action action = load(repos, id);
    ActionStatus next = ActionTransitions.onCancelRequested(action.status());
    if (next == action.status()) {
      return action;
    }
    Action after = move(repos, action, next, Optional.of(reason), at);
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("reason", reason);
    detail.put("status", next.name().toLowerCase(java.util.Locale.ROOT));
    repos.audit().append(AuditEvent.draft(at, actor, "action.canceled", subject(id), detail));
    return after;
  }

  /**
   * Withdraws a release from every device: each open action that installs it is cancelled (one the
   * device has started becomes a cancel request it acknowledges, as any cancel). Run in the
   * transaction that records the release's revocation, so that from the moment the revocation is
   * decided no device is offered the release again; running it again finds nothing left to do.
   *
   * @return how many actions were cancelled or asked to cancel
   */
  public int withdraw(R repos, String actor, ReleaseId release, String reason, Instant at) {
    int withdrawn = 0;
    for (Action open : repos.actions().openOfRelease(release)) {
      if (open.status() != ActionStatus.CANCELING) {
        cancel(repos, actor, open.id(), reason, at);
        withdrawn++;
      }
    }
    return withdrawn;
  }

  @Override
  public Action fail(R repos, ActionId id, String reason, Instant at) {
    Action action = load(repos, id);
    if (!action.status().isOpen()) {
      return action;
    }
    return move(repos, action, ActionStatus.FAILED, Optional.of(reason), at);
  }

  /**
   * The device's action, for the device itself.
   *
   * @throws SluiceException.NotFound if it does not exist or belongs to another device
   */
  public Action ofDevice(R repos, ControllerId device, ActionId id) {
    Action action =
        repos
            .actions()
            .find(id)
            .orElseThrow(() -> new SluiceException.NotFound("action", id.toString()));
    if (!action.spec().device().equals(device)) {
      throw new SluiceException.NotFound("action", id.toString());
    }
    return action;
  }

  /** The device fetched the action's details: an offered action is now running. */
  public Action fetched(R repos, ControllerId device, ActionId id, Instant at) {
    Action action = ofDevice(repos, device, id);
    ActionStatus next = ActionTransitions.onFetched(action.status());
    if (next == action.status()) {
      return action;
    }
    return move(repos, lockedOf(repos, device, id), next, Optional.empty(), at);
  }

  /**
   * Applies deployment feedback. A feedback identical to one already recorded for a closed action
   * is a replay and changes nothing.
   *
   * @throws SluiceException.NotFound for an unknown action or one of another device
   * @throws SluiceException.Gone if the action is closed and this is not a replay
   */
  public FeedbackOutcome deploymentFeedback(
      R repos, ControllerId device, ActionId id, Feedback feedback, String body, Instant at) {
    Action action = lockedOf(repos, device, id);
    if (!action.status().isOpen()) {
      return closedReplay(repos, action, feedback);
    }
    if (action.status().awaitsConsent()) {
      // hawkBit: no deployment (nor its feedback) before the owner confirms.
      throw new SluiceException.NotFound("deployment", id.toString());
    }
    Release release = release(repos, action);
    boolean runsVersion =
        repos
            .devices()
            .find(device)
            .flatMap(Device::installedVersion)
            .map(v -> sameVersion(v, release.version()))
            .orElse(false);
    java.util.Set<String> recorded = repos.actions().feedbackKinds(id);
    boolean closedBefore = recorded.contains(Feedback.Execution.CLOSED.wireName() + "/success");
    boolean downloaded =
        recorded.contains(SERVER_DOWNLOAD + "/none")
            || recorded.contains(Feedback.Execution.DOWNLOADED.wireName() + "/none")
            || recorded.contains(Feedback.Execution.DOWNLOADED.wireName() + "/success");
    ActionStatus next =
        ActionTransitions.onDeploymentFeedback(
            action.status(),
            action.spec().type(),
            action.spec().confirmation(),
            feedback.execution(),
            feedback.result(),
            new ActionTransitions.Context(
                feedback.allInstalled(),
                runsVersion,
                closedBefore,
                !installAllowed(action, at),
                downloaded));
    record(repos, id, at, feedback.execution().wireName(), feedback.result().wireName(), body);
    if (next == action.status()) {
      return new FeedbackOutcome(action, false);
    }
    Optional<String> message = message(feedback);
    if (action.spec().type() == ActionType.DOWNLOAD_ONLY
        && feedback.execution() == Feedback.Execution.CLOSED
        && next == ActionStatus.FAILED
        && feedback.result() != Feedback.Result.FAILURE) {
      message =
          Optional.of(
              "closed/success without a download: a download-only action succeeds only once the"
                  + " device holds the artifacts (the client skipped it)"
                  + (feedback.details().isEmpty() ? "" : "; device said: " + cut(feedback)));
    }
    return new FeedbackOutcome(move(repos, action, next, message, at), false);
  }

  /** Applies feedback on a cancel request ({@code cancelAction/{id}/feedback}). */
  public FeedbackOutcome cancelFeedback(
      R repos, ControllerId device, ActionId id, Feedback feedback, String body, Instant at) {
    Action action = lockedOf(repos, device, id);
    if (!action.status().isOpen()) {
      return closedReplay(repos, action, feedback);
    }
    if (action.status() != ActionStatus.CANCELING) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          "action " + id + " has no cancel request to answer");
    }
    ActionStatus next =
        ActionTransitions.onCancelFeedback(
            action.status(), feedback.execution(), feedback.result());
    record(
        repos,
        id,
        at,
        "cancel-" + feedback.execution().wireName(),
        feedback.result().wireName(),
        body);
    if (next == action.status()) {
      return new FeedbackOutcome(action, false);
    }
    return new FeedbackOutcome(move(repos, action, next, message(feedback), at), false);
  }

  /**
   * The device (its owner) answers a confirmation request (DDI {@code
   * confirmationBase/{id}/feedback}). A confirmation offers the action for installation; a denial
   * keeps it open as {@link ActionStatus#DENIED}, visible to the operator, who may cancel it.
   *
   * @throws SluiceException.NotFound for an unknown action, one of another device, or one that does
   *     not await consent (as hawkBit answers)
   * @throws SluiceException.Gone if the action is closed
   */
  public Action consent(
      R repos,
      ControllerId device,
      ActionId id,
      boolean confirmed,
      String details,
      String body,
      Instant at) {
    Action action = lockedOf(repos, device, id);
    if (!action.status().isOpen()) {
      throw new SluiceException.Gone(
          "action "
              + id
              + " is "
              + action.status().name().toLowerCase(java.util.Locale.ROOT)
              + " and takes no more feedback");
    }
    if (!action.status().awaitsConsent()) {
      throw new SluiceException.NotFound("confirmation request", id.toString());
    }
    String answer = confirmed ? "confirmed" : "denied";
    record(repos, id, at, "confirmation-" + answer, "none", body);
    ActionStatus next = ActionTransitions.onConsent(action.status(), confirmed);
    String text =
        (confirmed ? "confirmed" : "denied") + " by the device" + (details.isEmpty() ? "" : ": ");
    text = text + (details.length() > 500 ? details.substring(0, 500) : details);
    Action after = action;
    if (next != action.status()) {
      after = move(repos, action, next, Optional.of(text), at);
    } else {
      repos.actions().transition(id, action.status(), next, at, Optional.of(text));
      changed(repos, device, at);
    }
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("answer", answer);
    repos
        .audit()
        .append(
            AuditEvent.draft(
                at, "device/" + device.value(), "action.consent." + answer, subject(id), detail));
    return after;
  }

  /**
   * The server served an artifact of {@code release} to the device: the first time for each of the
   * device's open actions of that release, it is recorded (a download-only action needs it).
   */
  public void artifactServed(
      R repos,
      ControllerId device,
      dev.sluice.core.release.ReleaseId release,
      String artifact,
      Instant at) {
    for (Action open : repos.actions().openFor(device)) {
      if (open.spec().release().equals(release)
          && !open.status().awaitsConsent()
          && !repos.actions().feedbackExists(open.id(), SERVER_DOWNLOAD, "none")) {
        record(repos, open.id(), at, SERVER_DOWNLOAD, "none", "served " + artifact);
      }
    }
  }

  /**
   * The action's recorded feedback, for the operator.
   *
   * @throws SluiceException.NotFound if there is no such action
   */
  public List<ActionFeedback> history(R repos, ActionId id) {
    repos
        .actions()
        .find(id)
        .orElseThrow(() -> new SluiceException.NotFound("action", id.toString()));
    return repos.actions().feedback(id);
  }

  /** Keeps a feedback record, cut to size, and the per-action cap (first and last kept). */
  private static void record(
      ActionPorts repos, ActionId id, Instant at, String execution, String result, String body) {
    String kept =
        body.length() > MAX_STORED_FEEDBACK
            ? body.substring(0, MAX_STORED_FEEDBACK)
                + "...[cut: "
                + body.length()
                + " characters received]"
            : body;
    repos.actions().insertFeedback(id, at, execution, result, kept);
    repos
        .actions()
        .pruneFeedback(id, KEEP_FIRST_FEEDBACK, MAX_FEEDBACK_PER_ACTION - KEEP_FIRST_FEEDBACK);
  }

  /**
   * The device reports the version it runs (DDI installedBase, or a version attribute of its
   * configData). Its open action for a release of that version succeeds; otherwise the version is
   * recorded as installed out of band.
   *
   * @return whether this changed anything (an action succeeded, or a new version was recorded)
   */
  public boolean reportVersion(R repos, ControllerId deviceId, Version version, Instant at) {
    Device device =
        repos
            .devices()
            .find(deviceId)
            .orElseThrow(() -> new SluiceException.NotFound("device", deviceId.value()));
    boolean confirmed = false;
    for (Action open : repos.actions().openFor(deviceId)) {
      Release release = release(repos, open);
      if (open.spec().type() == ActionType.DOWNLOAD_ONLY
          || !sameVersion(version, release.version())) {
        continue;
      }
      ActionStatus next =
          ActionTransitions.onReleaseVersionRunning(open.status(), open.spec().type());
      if (next != open.status()) {
        Action locked = lockedOf(repos, deviceId, open.id());
        move(repos, locked, next, Optional.of("the device runs " + version.value()), at);
        confirmed = true;
      }
    }
    if (!confirmed
        && device.installedVersion().map(v -> !v.value().equals(version.value())).orElse(true)) {
      repos.devices().setInstalled(deviceId, version, Optional.empty(), at);
      changed(repos, deviceId, at);
      if (repos.actions().openFor(deviceId).isEmpty()) {
        repos.devices().setStatus(deviceId, DeviceStatus.IN_SYNC, at);
      }
      return true;
    }
    return confirmed;
  }

  /**
   * Applies DDI configData. A version attribute ({@link #VERSION_ATTRIBUTES}) that parses as a
   * version is reported as the running version.
   *
   * @throws SluiceException.TooLarge if the result would exceed {@link #MAX_ATTRIBUTES}
   * @throws SluiceException.InvalidInput for an over-long key or value
   */
  public Device updateAttributes(
      R repos, ControllerId deviceId, AttributeMode mode, Map<String, String> data, Instant at) {
    Device device =
        repos
            .devices()
            .find(deviceId)
            .orElseThrow(() -> new SluiceException.NotFound("device", deviceId.value()));
    data.forEach(
        (k, v) -> {
          if (k.isEmpty() || k.length() > MAX_ATTRIBUTE_KEY) {
            throw new SluiceException.InvalidInput(
                "a configData key is 1 to " + MAX_ATTRIBUTE_KEY + " characters");
          }
          if (v.length() > MAX_ATTRIBUTE_VALUE) {
            throw new SluiceException.InvalidInput(
                "the configData value of '"
                    + k
                    + "' exceeds "
                    + MAX_ATTRIBUTE_VALUE
                    + " characters");
          }
        });
    Map<String, String> merged = new TreeMap<>();
    switch (mode) {
      case MERGE -> {
        merged.putAll(device.attributes());
        merged.putAll(data);
      }
      case REPLACE -> merged.putAll(data);
      case REMOVE -> {
        merged.putAll(device.attributes());
        data.keySet().forEach(merged::remove);
      }
    }
    if (merged.size() > MAX_ATTRIBUTES) {
      throw new SluiceException.TooLarge(
          "a device keeps at most " + MAX_ATTRIBUTES + " configData attributes", MAX_ATTRIBUTES);
    }
    if (!merged.equals(device.attributes())) {
      repos.devices().updateAttributes(deviceId, merged, at);
      changed(repos, deviceId, at);
    }
    if (mode != AttributeMode.REMOVE) {
      runningVersion(data).ifPresent(v -> reportVersion(repos, deviceId, v, at));
    }
    return device.withAttributes(merged);
  }

  /**
   * Whether the device may install the action now: always, unless it has a maintenance window that
   * is closed at {@code at} (then DDI tells it {@code update: skip}).
   */
  public static boolean installAllowed(Action action, Instant at) {
    return action.spec().window().map(w -> w.isOpen(at)).orElse(true);
  }

  /** The version a set of configData attributes reports, if any key of it names one. */
  public static Optional<Version> runningVersion(Map<String, String> attributes) {
    for (String key : VERSION_ATTRIBUTES) {
      String value = attributes.get(key);
      if (value != null) {
        try {
          return Optional.of(Version.parse(value.strip()));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A closed action answers a repeated final report (closed, canceled, downloaded, as recorded
   * before) as a harmless replay; anything else is {@link SluiceException.Gone}.
   */
  private FeedbackOutcome closedReplay(R repos, Action action, Feedback feedback) {
    boolean terminal =
        switch (feedback.execution()) {
          case CLOSED, CANCELED, DOWNLOADED -> true;
          case PROCEEDING, SCHEDULED, RESUMED, DOWNLOAD, REJECTED -> false;
        };
    boolean replay =
        terminal
            && (repos
                    .actions()
                    .feedbackExists(
                        action.id(), feedback.execution().wireName(), feedback.result().wireName())
                || repos
                    .actions()
                    .feedbackExists(
                        action.id(),
                        "cancel-" + feedback.execution().wireName(),
                        feedback.result().wireName()));
    if (replay) {
      return new FeedbackOutcome(action, true);
    }
    throw new SluiceException.Gone(
        "action "
            + action.id()
            + " is "
            + action.status().name().toLowerCase(java.util.Locale.ROOT)
            + " and takes no more feedback");
  }

  /**
   * The device's poll answer may have changed: recorded in the change feed within this transaction
   * (other servers sharing the database follow it) and told to this server's hook.
   */
  private void changed(R repos, ControllerId device, Instant at) {
    repos.deviceChanges().record(device, at);
    deviceChanged.accept(device);
  }

  private Action move(
      R repos, Action before, ActionStatus next, Optional<String> message, Instant at) {
    if (!repos.actions().transition(before.id(), before.status(), next, at, message)) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          "action " + before.id() + " changed concurrently; retry");
    }
    Action after = before.withStatus(next, at, message);
    updateDevice(repos, after, at);
    changed(repos, after.spec().device(), at);
    listener.statusChanged(repos, before, after);
    return after;
  }

  private void updateDevice(R repos, Action action, Instant at) {
    ControllerId deviceId = action.spec().device();
    switch (action.status()) {
      case SUCCEEDED -> {
        if (action.spec().type() != ActionType.DOWNLOAD_ONLY) {
          Release release = release(repos, action);
          repos.devices().setInstalled(deviceId, release.version(), Optional.of(release.id()), at);
        }
        settle(repos, deviceId, DeviceStatus.IN_SYNC, at);
      }
      case FAILED -> settle(repos, deviceId, DeviceStatus.ERROR, at);
      case CANCELED -> {
        boolean known =
            repos.devices().find(deviceId).flatMap(Device::installedVersion).isPresent();
        settle(repos, deviceId, known ? DeviceStatus.IN_SYNC : DeviceStatus.UNKNOWN, at);
      }
      case WAITING_CONFIRMATION,
          DENIED,
          OFFERED,
          RUNNING,
          DOWNLOADED,
          INSTALLED,
          AWAITING_VERSION,
          CANCELING -> {}
    }
  }

  /** Sets the device's status after an action closed, unless another action is still open. */
  private static void settle(
      ActionPorts repos, ControllerId deviceId, DeviceStatus closed, Instant at) {
    boolean open = !repos.actions().openFor(deviceId).isEmpty();
    repos.devices().setStatus(deviceId, open ? DeviceStatus.PENDING : closed, at);
  }

  private Action load(R repos, ActionId id) {
    return repos
        .actions()
        .findForUpdate(id)
        .orElseThrow(() -> new SluiceException.NotFound("action", id.toString()));
  }

  private Action lockedOf(R repos, ControllerId device, ActionId id) {
    Action action = load(repos, id);
    if (!action.spec().device().equals(device)) {
      throw new SluiceException.NotFound("action", id.toString());
    }
    return action;
  }

  private static Release release(ActionPorts repos, Action action) {
    return repos
        .releases()
        .find(action.spec().release())
        .orElseThrow(
            () -> new SluiceException.NotFound("release", action.spec().release().value()));
  }

  private static boolean sameVersion(Version a, Version b) {
    return a.value().equals(b.value());
  }

  private static String cut(Feedback feedback) {
    return feedback.details().length() > 500
        ? feedback.details().substring(0, 500)
        : feedback.details();
  }

  private static Optional<String> message(Feedback feedback) {
    String text =
        feedback.execution().wireName()
            + "/"
            + feedback.result().wireName()
            + (feedback.details().isEmpty() ? "" : ": " + feedback.details());
    return Optional.of(text.length() > 1000 ? text.substring(0, 1000) : text);
  }

  private static String subject(ActionId id) {
    return "action/" + id;
  }
}
