package dev.sluice.server.ddi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionFeedback;
import dev.sluice.core.action.ActionId;
import dev.sluice.core.action.ActionRepository;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.action.Feedback;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Endpoint;
import dev.sluice.server.http.Problems;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The device API, wire-compatible with hawkBit's DDI v1 under {@code
 * /{tenant}/controller/v1/{controllerId}}. A quiet poll whose answer is cached is answered on the
 * I/O thread from precomputed bytes (no dispatch, no database, no JSON); everything else runs on
 * the blocking executor, and a miss costs one read transaction. Devices' writes (feedback,
 * configData, installedBase, fetching a deployment) go through {@code deviceWrites}, which commits
 * many devices' writes together on SQLite. Feedback is answered 200 with an empty body (DDI clients
 * treat other 2xx codes as errors).
 */
public final class DdiEndpoints {
  static final String BASE = "/{tenant}/controller/v1/{controllerId}";
  private static final int FEEDBACK_LIMIT = 64 * 1024;
  private static final int CONFIG_DATA_LIMIT = 32 * 1024;
  private static final int HISTORY_FOR_DOWNLOADS = 200;
  private static final Pattern HOST =
      Pattern.compile(
          "[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");
  private static final String MD5SUM = ".MD5SUM";

  private final DdiConfig config;
  private final Transactions transactions;
  private final Transactions deviceWrites;
  private final ActionService<RolloutPorts> actions;
  private final PollCache cache;
  private final DeviceGate gate;
  private final Digests digests;
  private final BlobStore blobs;
  private final Problems problems;
  private final Clock clock;
  private final BooleanSupplier readInPlace;
  private HttpHandler pollMiss;
  private volatile String validHost = "";
  private HttpHandler artifactDispatch;

  /**
   * @param deviceWrites where devices' writes go (grouped commits on SQLite)
   * @param gate admits devices; the router runs it before every device route
   * @param readInPlace whether a read transaction now would neither leave the process nor wait for
   *     a connection (the embedded SQLite database with an idle connection): a poll miss then reads
   *     on the I/O thread instead of being dispatched
   */
  public DdiEndpoints(
      DdiConfig config,
      Transactions transactions,
      Transactions deviceWrites,
      ActionService<RolloutPorts> actions,
      PollCache cache,
      DeviceGate gate,
      Digests digests,
      BlobStore blobs,
      Problems problems,
      Clock clock,
      BooleanSupplier readInPlace) {
    this.config = config;
    this.transactions = transactions;
    this.deviceWrites = deviceWrites;
    this.actions = actions;
    this.cache = cache;
    this.gate = gate;
    this.digests = digests;
    this.blobs = blobs;
    this.problems = problems;
    this.clock = clock;
    this.readInPlace = readInPlace;
  }

  /** A poll cache for these settings; give the same one to the action service's change hook. */
  public static PollCache newCache(DdiConfig config, Clock clock) {
    return new PollCache(clock, config.pollCacheTtl(), config.pollCacheEntries());
  }

  /**
   * Registers the device routes. They accept query parameters they do not know: hawkBit clients
   * follow links as given and some add their own (a cache buster, {@code c=}).
   */
  public void register(Router router) {
    Access device = Access.device();
    // The poll checks its caller itself: from the cache on the I/O thread, else in pollMiss
    // (where a gateway token may register the device).
    this.pollMiss = router.dispatching(this::pollMiss);
    tolerant(router.io("GET", BASE, device, this::poll));
    // The poll's path is matched by hand, ahead of Undertow's matcher (a sixth of a miss's
    // allocation was that matcher's).
    router.matchDirectly(BASE);
    tolerant(router.get(BASE + "/deploymentBase/{actionId}", device, on(this::deploymentBase)))
        .query("actionHistory", "c");
    feedback(
        router.post(
            BASE + "/deploymentBase/{actionId}/feedback", device, on(this::deploymentFeedback)));
    tolerant(router.get(BASE + "/cancelAction/{actionId}", device, on(this::cancelAction)));
    feedback(
        router.post(BASE + "/cancelAction/{actionId}/feedback", device, on(this::cancelFeedback)));
    feedback(router.put(BASE + "/configData", device, on(this::configData)));
    tolerant(router.get(BASE + "/installedBase/{actionId}", device, on(this::installedBase)))
        .query("actionHistory", "c");
    feedback(router.put(BASE + "/installedBase", device, on(this::reportInstalled)));
    tolerant(router.get(BASE + "/confirmationBase", device, on(this::confirmationState)));
    tolerant(router.get(BASE + "/confirmationBase/{actionId}", device, on(this::confirmationBase)))
        .query("actionHistory", "c");
    feedback(
        router.post(
            BASE + "/confirmationBase/{actionId}/feedback",
            device,
            on(this::confirmationFeedback)));
    tolerant(
        router.get(BASE + "/softwaremodules/{moduleId}/artifacts", device, on(this::artifactList)));
    // Downloads check their caller themselves too: a device's recent grant for the release spares
    // each Range request the database (see DownloadGrants), and a download the grant covers is sent
    // from the I/O thread (artifactFromGrant).
    this.artifactDispatch = router.dispatching(this::artifactDownload);
    router
        .io(
            "GET",
            BASE + "/softwaremodules/{moduleId}/artifacts/{fileName}",
            device,
            this::artifactFromGrant)
        .anyQuery()
        .produces("*/*");
  }

  private static final String JSON = "application/json";
  private static final String HAL_JSON = "application/hal+json";

  /**
   * Device routes answer whatever {@code Accept} a client sends: hawkBit clients send loose ones
   * (SWUpdate asks downloads for {@code application/text}), and a device that cannot update is
   * worse than a header ignored.
   */
  private static Router.Registration tolerant(Router.Registration r) {
    return r.anyQuery().produces("*/*");
  }

  /** Feedback is JSON (with or without a Content-Type); its answer has no body. */
  private static Router.Registration feedback(Router.Registration r) {
    return r.anyQuery().consumes(JSON, HAL_JSON).produces("*/*");
  }

  // ---- poll: the hot path

  private void poll(HttpServerExchange ex) throws Exception {
    Map<String, String> params = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
    if (!config.tenant().equalsIgnoreCase(params.get("tenant"))) {
      problems.send(ex, 404, "Not Found", "no such tenant", null);
      return;
    }
    String id = params.get("controllerId");
    // Checked before anything is looked up or kept for the id (an id can be 500 KB long).
    if (!DeviceGate.validControllerId(id)) {
      problems.send(ex, DeviceGate.badControllerId());
      return;
    }
    String deviceBase;
    try {
      deviceBase = deviceBase(ex, id);
    } catch (SluiceException e) {
      problems.send(ex, e);
      return;
    }
    PollCache.Entry entry = cache.fresh(id, deviceBase);
    if (entry != null
        && allowedByCache(entry, ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
      // Authenticated (by the cached token hash): only now is the device's own budget charged.
      long wait = gate.acquire(id);
      if (wait > 0) {
        gate.tooManyRequests(ex, wait);
        return;
      }
      gate.lastSeen().seen(entry.id(), clock.instant());
      answer(ex, ex.getResponseSender(), entry.body());
      return;
    }
    long blocked = gate.blocked(ex);
    if (blocked > 0) {
      gate.tooManyFailures(ex, blocked);
      return;
    }
    if (!missInPlace(ex, id, deviceBase)) {
      pollMiss.handleRequest(ex);
    }
  }

  /**
   * A poll miss answered on the I/O thread, when its read cannot wait: {@code readInPlace} holds
   * (SQLite, an idle connection; a read in WAL mode waits for no writer, it costs CPU and the page
   * cache) and the poll carries a target token or none (a gateway token's check may register the
   * device, a write) and no body. Handing the miss to a virtual thread and its answer back to the
   * I/O thread (two thread wake-ups, and the connection's reads suspended and resumed across
   * threads) cost about as much CPU as the read itself (BENCHMARKS.md, "Poll misses"). Returns
   * false, having sent nothing, when the miss must be dispatched: any credential that does not
   * parse is refused (and counted) there.
   */
  private boolean missInPlace(HttpServerExchange ex, String id, String deviceBase)
      throws IOException {
    if (ex.getRequestContentLength() > 0
        || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
        || !readInPlace.getAsBoolean()) {
      return false;
    }
    DdiAccess.Credential credential;
    try {
      credential =
          DdiAccess.credential(
              Optional.ofNullable(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION)));
    } catch (SluiceException e) {
      return false;
    }
    if (credential.kind() == DdiAccess.Credential.Kind.GATEWAY) {
      return false;
    }
    byte[] body;
    try {
      body = missAnswer(ex, new ControllerId(id), credential, deviceBase);
    } catch (RuntimeException e) {
      problems.send(ex, e);
      return true;
    }
    if (body != null) {
      answer(ex, ex.getResponseSender(), body);
    }
    return true;
  }

  private boolean allowedByCache(PollCache.Entry entry, String authorization) {
    if (authorization == null) {
      return gate.access().anonymousAllowed();
    }
    DdiAccess.Credential credential;
    try {
      credential = DdiAccess.credential(Optional.of(authorization));
    } catch (SluiceException e) {
      return false;
    }
    return speaksFor(credential, entry.targetToken(), entry.product());
  }

  /**
   * Whether the credential speaks for a device known from memory (its target token's hash and its
   * product): its own target token, a gateway token of its product seen recently, or anonymous
   * where allowed.
   */
  private boolean speaksFor(
      DdiAccess.Credential credential,
      Optional<Sha256> targetToken,
      dev.sluice.core.product.ProductName product) {
    return switch (credential.kind()) {
      case TARGET -> targetToken.map(t -> t.matches(credential.sha256())).orElse(false);
      case GATEWAY -> product.equals(cache.gatewayProduct(credential.sha256()));
      case NONE -> gate.access().anonymousAllowed();
    };
  }

  /** What a poll answer is made of, read in one transaction. */
  private record Snapshot(
      Optional<Device> device,
      Optional<Sha256> token,
      List<Action> open,
      Optional<Action> installed) {}

  private static Snapshot snapshot(
      dev.sluice.core.port.Repositories repos, ControllerId id, Optional<Device> known) {
    Optional<Device> device;
    Optional<Sha256> token;
    if (known.isPresent()) {
      device = known;
      token = repos.devices().targetTokenHash(id);
    } else {
      // One statement for the row and its token's hash (a target token's poll, the common miss).
      Optional<DeviceRepository.WithTargetToken> found = repos.devices().findWithTargetToken(id);
      device = found.map(DeviceRepository.WithTargetToken::device);
      token = found.flatMap(DeviceRepository.WithTargetToken::targetTokenHash);
    }
    if (device.isEmpty()) {
      return new Snapshot(device, Optional.empty(), List.of(), Optional.empty());
    }
    // One statement for the open actions and the last success.
    ActionRepository.OpenAndLastSuccess actions = repos.actions().openAndLastSuccess(id);
    return new Snapshot(
        device,
        token,
        actions.open(),
        actions.lastSuccess().filter(a -> a.spec().type() != ActionType.DOWNLOAD_ONLY));
  }

  /**
   * A poll whose answer is not cached: for a target token (or anonymous) one read transaction finds
   * the device, its token's hash, its open actions and its last installation; a gateway token is
   * checked (and may register the device) first.
   */
  private void pollMiss(Call call) throws IOException {
    ControllerId id = gate.controllerId(call);
    DdiAccess.Credential credential;
    try {
      credential = DdiAccess.credential(call.header("Authorization"));
    } catch (SluiceException.Unauthenticated e) {
      gate.failed(call.exchange());
      throw e;
    }
    byte[] body =
        missAnswer(call.exchange(), id, credential, deviceBase(call.exchange(), id.value()));
    if (body != null) {
      answerFromIoThread(call.exchange(), body);
    }
  }

  /**
   * A miss's answer, cached, and the device charged and seen; null when it answered 429 itself.
   * Throws when the caller is refused (counted against its address).
   */
  private byte[] missAnswer(
      HttpServerExchange ex, ControllerId id, DdiAccess.Credential credential, String deviceBase) {
    long stamp = cache.stamp();
    Snapshot s;
    Device device;
    try {
      if (credential.kind() == DdiAccess.Credential.Kind.GATEWAY) {
        Device authorized = gate.access().authorize(credential, id, true);
        s = transactions.read(repos -> snapshot(repos, id, Optional.of(authorized)));
        device = authorized;
      } else {
        s = transactions.read(repos -> snapshot(repos, id, Optional.empty()));
        device = gate.access().check(credential, s.device(), s.token());
      }
    } catch (SluiceException.Unauthenticated | SluiceException.Forbidden e) {
      gate.failed(ex);
      throw e;
    }
    long wait = gate.acquire(id.value());
    if (wait > 0) {
      gate.tooManyRequests(ex, wait);
      return null;
    }
    Instant now = clock.instant();
    byte[] body =
        DdiDocuments.poll(
            deviceBase, config.sleepFor(id.value()), device, s.open(), s.installed(), now);
    cache.put(stamp, id, body, deviceBase, s.token(), device.product(), validUntil(s.open(), now));
    if (credential.kind() == DdiAccess.Credential.Kind.GATEWAY) {
      cache.rememberGateway(credential.sha256(), device.product());
    }
    gate.lastSeen().seen(id, now);
    return body;
  }

  /**
   * Sends a poll answer computed on the blocking executor from the connection's I/O thread, with
   * the headers of a cached answer. A profile of poll misses showed about a sixth of their CPU time
   * in ending the exchange off the I/O thread: Undertow then resumes the connection's reads from
   * the other thread (XNIO's {@code setOps} and a selector wake-up); handed back, the answer is
   * written and the connection resumed on its own thread.
   */
  private static void answerFromIoThread(HttpServerExchange ex, byte[] body) throws IOException {
    // A GET has no body; one sent anyway is read here, where blocking is allowed, not by the end
    // of the exchange on the I/O thread.
    ex.getInputStream().close();
    ex.dispatch(ex.getIoThread(), io -> answer(io, new io.undertow.io.AsyncSenderImpl(io), body));
  }

  /** A poll answer from memory (on the I/O thread): cached, or just computed. */
  private static void answer(HttpServerExchange ex, io.undertow.io.Sender sender, byte[] body) {
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    sender.send(ByteBuffer.wrap(body));
  }

  /** Time-dependent answers are recomputed after a second at most. */
  static final long TIME_DEPENDENT_MILLIS = 1000;

  /**
   * Until when a poll answer made at {@code now} stays right without a change of the device: an
   * open action with a maintenance window makes it time-dependent (the window opens and closes), a
   * deadline still ahead ends it at the deadline (the deployment link's change hash moves then).
   */
  static long validUntil(List<Action> open, Instant now) {
    long until = Long.MAX_VALUE;
    for (Action a : open) {
      if (a.spec().window().isPresent()) {
        until = Math.min(until, now.toEpochMilli() + TIME_DEPENDENT_MILLIS);
      }
      Optional<Instant> deadline = a.spec().forcedAt().filter(now::isBefore);
      if (deadline.isPresent()) {
        until = Math.min(until, deadline.get().toEpochMilli());
      }
    }
    return until;
  }

  // ---- the other device routes

  @FunctionalInterface
  private interface DeviceEndpoint {
    void handle(Call call, Device device) throws Exception;
  }

  /** The endpoint, for the device the gate admitted. */
  private static Endpoint on(DeviceEndpoint endpoint) {
    return call -> endpoint.handle(call, call.device());
  }

  private void deploymentBase(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    int history = actionHistory(call);
    Instant now = clock.instant();
    Action action = transactions.read(repos -> actions.ofDevice(repos, device.id(), id));
    ActionStatus status = action.status();
    if (status == ActionStatus.CANCELING
        || status == ActionStatus.CANCELED
        || status.awaitsConsent()) {
      // hawkBit: no deployment for a canceled or canceling action, nor before consent.
      throw new SluiceException.NotFound("deployment", id.toString());
    }
    if (status == ActionStatus.OFFERED) {
      action = deviceWrites.write(repos -> actions.fetched(repos, device.id(), id, now));
      cache.invalidate(device.id());
    }
    call.json(200, deployment(call, device, action, historyMessages(id, history), now, false));
  }

  /** A deployment, or with {@code confirmation} the confirmation request for it. */
  private Object deployment(
      Call call,
      Device device,
      Action action,
      List<String> messages,
      Instant now,
      boolean confirmation) {
    ReleaseId releaseId = action.spec().release();
    Release release = release(releaseId);
    String part =
        transactions.read(repos -> repos.products().ddiSettings(release.product())).part();
    String base = deviceBase(call.exchange(), device.id().value());
    Function<Artifact, ArtifactDigests> hashes = (Artifact a) -> digests.of(a.sha256());
    return confirmation
        ? DdiDocuments.confirmation(base, action, release, part, hashes, messages, now)
        : DdiDocuments.deployment(base, action, release, part, hashes, messages, now);
  }

  /**
   * hawkBit's {@code actionHistory} query parameter: how many of the device's own messages to add
   * (0, the default: none; negative: all that are kept).
   */
  private static int actionHistory(Call call) {
    Optional<String> text = call.query("actionHistory");
    if (text.isEmpty() || text.get().isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(text.get().strip());
    } catch (NumberFormatException e) {
      throw new SluiceException.InvalidInput("query parameter actionHistory must be an integer");
    }
  }

  /** The device's messages about the action, newest first (server notes left out, as hawkBit). */
  private List<String> historyMessages(ActionId id, int count) {
    if (count == 0) {
      return List.of();
    }
    List<ActionFeedback> records = transactions.read(repos -> repos.actions().feedback(id));
    List<String> messages = new ArrayList<>();
    for (int i = records.size() - 1; i >= 0; i--) {
      ActionFeedback f = records.get(i);
      if (!f.fromServer()) {
        messages.addAll(FeedbackBodies.messages(f.body()));
      }
    }
    return count < 0 || count >= messages.size() ? messages : messages.subList(0, count);
  }

  private void confirmationState(Call call, Device device) throws IOException {
    List<Action> open = transactions.read(repos -> repos.actions().openFor(device.id()));
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    // Auto-confirmation is not offered: every installation needing consent is asked for.
    root.putObject("autoConfirm").put("active", false);
    open.stream()
        .filter(a -> a.status().awaitsConsent())
        .reduce((first, second) -> second)
        .ifPresent(
            a ->
                root.putObject("_links")
                    .putObject("confirmationBase")
                    .put(
                        "href",
                        deviceBase(call.exchange(), device.id().value())
                            + "/confirmationBase/"
                            + a.id()
                            + "?c="
                            + DdiDocuments.changeHash(a, clock.instant())));
    call.json(200, root);
  }

  private void confirmationBase(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    int history = actionHistory(call);
    Action action = transactions.read(repos -> actions.ofDevice(repos, device.id(), id));
    if (!action.status().awaitsConsent()) {
      throw new SluiceException.NotFound("confirmation request", id.toString());
    }
    call.json(
        200, deployment(call, device, action, historyMessages(id, history), clock.instant(), true));
  }

  private void confirmationFeedback(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    byte[] body = call.bodyBytes(FEEDBACK_LIMIT);
    FeedbackBodies.Consent consent = FeedbackBodies.consent(body);
    Instant now = clock.instant();
    deviceWrites.write(
        repos ->
            actions.consent(
                repos,
                device.id(),
                id,
                consent.confirmed(),
                consent.details(),
                new String(body, StandardCharsets.UTF_8),
                now));
    cache.invalidate(device.id());
    ok(call);
  }

  private void deploymentFeedback(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    byte[] body = call.bodyBytes(FEEDBACK_LIMIT);
    Feedback feedback = FeedbackBodies.feedback(body, id);
    Instant now = clock.instant();
    deviceWrites.write(
        repos ->
            actions.deploymentFeedback(
                repos, device.id(), id, feedback, new String(body, StandardCharsets.UTF_8), now));
    cache.invalidate(device.id());
    ok(call);
  }

  private void cancelAction(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    Action action = transactions.read(repos -> actions.ofDevice(repos, device.id(), id));
    if (action.status() != ActionStatus.CANCELING && action.status() != ActionStatus.CANCELED) {
      throw new SluiceException.NotFound("cancel action", id.toString());
    }
    call.json(200, DdiDocuments.cancel(action));
  }

  private void cancelFeedback(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    byte[] body = call.bodyBytes(FEEDBACK_LIMIT);
    Feedback feedback = FeedbackBodies.feedback(body, id);
    Instant now = clock.instant();
    deviceWrites.write(
        repos ->
            actions.cancelFeedback(
                repos, device.id(), id, feedback, new String(body, StandardCharsets.UTF_8), now));
    cache.invalidate(device.id());
    ok(call);
  }

  private void configData(Call call, Device device) throws IOException {
    FeedbackBodies.ConfigData data = FeedbackBodies.configData(call.bodyBytes(CONFIG_DATA_LIMIT));
    ActionService.AttributeMode mode =
        ActionService.AttributeMode.valueOf(data.mode().toUpperCase(java.util.Locale.ROOT));
    Instant now = clock.instant();
    deviceWrites.write(
        repos -> actions.updateAttributes(repos, device.id(), mode, data.data(), now));
    cache.invalidate(device.id());
    ok(call);
  }

  private void installedBase(Call call, Device device) throws IOException {
    ActionId id = actionId(call);
    Action action = transactions.read(repos -> actions.ofDevice(repos, device.id(), id));
    if (action.status() != ActionStatus.SUCCEEDED) {
      throw new SluiceException.NotFound("installed action", id.toString());
    }
    call.json(
        200,
        deployment(
            call,
            device,
            action,
            historyMessages(id, actionHistory(call)),
            clock.instant(),
            false));
  }

  /**
   * hawkBit's {@code PUT installedBase}: {@code {"name": ..., "version": ...}}, the release the
   * device runs, installed out of band. {@code name} (the chunk's name: the product) is optional;
   * another product's name is 404, as hawkBit answers for an unknown distribution set. 201 when
   * this changed what Sluice records, 200 when it knew.
   */
  private void reportInstalled(Call call, Device device) throws IOException {
    FeedbackBodies.Installed installed = FeedbackBodies.installed(call.bodyBytes(FEEDBACK_LIMIT));
    if (installed.name().isPresent() && !installed.name().get().equals(device.product().value())) {
      throw new SluiceException.NotFound(
          "distribution", installed.name().get() + " " + installed.version().value());
    }
    Instant now = clock.instant();
    boolean changed =
        deviceWrites.write(
            repos -> actions.reportVersion(repos, device.id(), installed.version(), now));
    cache.invalidate(device.id());
    HttpServerExchange ex = call.exchange();
    ex.setStatusCode(changed ? 201 : 200);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    ex.endExchange();
  }

  /**
   * The release a device may download from: it has an open or succeeded action for it, and the
   * release is published and not being revoked (a revoked release is never served again, not even
   * to a device that installed it before; its open actions were cancelled when it was revoked).
   */
  private Release downloadable(Device device, String module) {
    ReleaseId releaseId = moduleRelease(module);
    if (!transactions.read(repos -> downloadable(repos, device.id(), releaseId))) {
      throw new SluiceException.NotFound("software module", module);
    }
    return publishedRelease(releaseId);
  }

  private static boolean downloadable(
      dev.sluice.core.port.Repositories repos, ControllerId device, ReleaseId releaseId) {
    return repos.actions().history(device, HISTORY_FOR_DOWNLOADS).stream()
            .anyMatch(
                a ->
                    a.spec().release().equals(releaseId)
                        && !a.status().awaitsConsent()
                        && (a.status().isOpen() || a.status() == ActionStatus.SUCCEEDED))
        && releaseDownloadable(repos, releaseId);
  }

  /** The device-independent half of {@link #downloadable}: published, no revocation recorded. */
  private static boolean releaseDownloadable(
      dev.sluice.core.port.Repositories repos, ReleaseId releaseId) {
    return repos.releases().state(releaseId).orElse(null) == ReleaseState.PUBLISHED
        && !repos.releases().revocationRecorded(releaseId);
  }

  /** The release a software module id names (a module is a release); 404 if it names none. */
  private static ReleaseId moduleRelease(String module) {
    return optionalRelease(module)
        .orElseThrow(
            () ->
                new SluiceException.NotFound(
                    "software module", module.length() > 64 ? module.substring(0, 64) : module));
  }

  private static Optional<ReleaseId> optionalRelease(String module) {
    try {
      return Optional.of(new ReleaseId(module));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** How many published releases {@link #publishedRelease} keeps at most. */
  private static final int PUBLISHED_KEPT = 32;

  /**
   * Published (or revoked) releases by id, for the download routes. Reading a release parses and
   * validates its stored manifest (JSON Schema, SBOM and provenance included) on every call, which
   * every 1 MiB Range request of a resuming or chunking device paid again. What the download routes
   * read of a release (its artifacts' names, digests and sizes) never changes once it is published;
   * its state may (a revocation), which {@link #downloadable} reads from the database (for a
   * download, once per {@link DownloadGrants#TTL} and release).
   */
  private final java.util.concurrent.ConcurrentHashMap<ReleaseId, Release> published =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Release publishedRelease(ReleaseId id) {
    Release kept = published.get(id);
    if (kept != null) {
      return kept;
    }
    Release release = release(id);
    if (release.state() == ReleaseState.PUBLISHED || release.state() == ReleaseState.REVOKED) {
      if (published.size() >= PUBLISHED_KEPT) {
        published.clear();
      }
      published.put(id, release);
    }
    return release;
  }

  private void artifactList(Call call, Device device) throws IOException {
    Release release = downloadable(device, call.path("moduleId"));
    call.json(
        200,
        DdiDocuments.artifacts(
            deviceBase(call.exchange(), device.id().value()),
            release,
            (Artifact a) -> digests.of(a.sha256())));
  }

  /**
   * An artifact download on the I/O thread, when everything it needs is in memory: a fresh grant
   * for the release that the presented credential speaks for, the download already noted (or a
   * HEAD), the artifact's blob verified as its file is now (one {@code stat}) and at most one range
   * asked for. Its bytes then go out with sendfile from the I/O thread ({@link
   * IoThreadFileTransfer}): no dispatch to the blocking executor, no thread handing the exchange
   * back. Anything else (no grant, a gateway's first request, If-Match, an {@code .MD5SUM}, several
   * ranges, a blob to verify or in an object store) takes {@link #artifactDownload}, unchanged.
   */
  private void artifactFromGrant(HttpServerExchange ex) throws Exception {
    if (!sentFromGrant(ex)) {
      artifactDispatch.handleRequest(ex);
    }
  }

  /** Sends the artifact from memory and the I/O thread; false (nothing sent) when it cannot. */
  private boolean sentFromGrant(HttpServerExchange ex) throws IOException {
    boolean head = ex.getRequestMethod().equals(io.undertow.util.Methods.HEAD);
    if (ex.getRequestContentLength() > 0
        || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
        || ex.getRequestHeaders().contains(Headers.IF_MATCH)) {
      return false;
    }
    Map<String, String> params = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
    String id = params.get("controllerId");
    if (!config.tenant().equalsIgnoreCase(params.get("tenant"))
        || !DeviceGate.validControllerId(id)) {
      return false;
    }
    Optional<ReleaseId> releaseId = optionalRelease(params.get("moduleId"));
    if (releaseId.isEmpty()) {
      return false;
    }
    DownloadGrants.Grant grant = cache.downloads().find(new ControllerId(id), releaseId.get());
    if (grant == null
        || !(head || grant.downloadNoted().get())
        || !grantHolds(
            grant, Optional.ofNullable(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION)))) {
      return false;
    }
    Optional<Artifact> artifact = artifactNamed(grant.release(), params.get("fileName"));
    if (artifact.isEmpty()) {
      return false;
    }
    Artifact a = artifact.get();
    Optional<BlobStore.LocalFile> file = blobs.verifiedFile(a.sha256());
    if (file.isEmpty()) {
      return false;
    }
    // Authenticated by the grant: only now is the device's own budget charged.
    long wait = gate.acquire(id);
    if (wait > 0) {
      gate.tooManyRequests(ex, wait);
      return true;
    }
    gate.lastSeen().seen(grant.device().id(), clock.instant());
    ArtifactSender.Source.File source =
        new ArtifactSender.Source.File(file.get().path(), file.get().size());
    return ArtifactSender.sendFromIoThread(
        ex, source, a.size(), a.sha256().hex(), a.name().value());
  }

  /**
   * An artifact download, which checks its caller itself (no gate runs before it): a device with a
   * fresh grant for the release whose credential matches the grant's is served from memory (its
   * rate budget is charged and it is seen, as by the gate); a grant whose release check expired
   * reads the release's state alone (and renews the check for every device); else one read
   * transaction checks the credential, the device's actions and the release's state, and a success
   * is kept as a grant.
   */
  private void artifactDownload(Call call) throws IOException {
    ControllerId id = gate.controllerId(call);
    String module = call.path("moduleId");
    Optional<ReleaseId> releaseId = optionalRelease(module);
    Optional<String> authorization = call.header("Authorization");
    DownloadGrants grants = cache.downloads();
    DownloadGrants.Grant grant =
        releaseId.isEmpty() ? null : grants.deviceGrant(id, releaseId.get());
    if (grant != null && grantHolds(grant, authorization)) {
      if (grants.find(id, releaseId.get()) == null) {
        // Only the release's check expired: one read renews it for every device's grant.
        long stamp = grants.stamp();
        boolean allowed = transactions.read(repos -> releaseDownloadable(repos, releaseId.get()));
        if (!admitted(call, id)) {
          return;
        }
        if (!allowed) {
          throw notFoundModule(module);
        }
        grants.releaseChecked(stamp, releaseId.get());
      } else if (!admitted(call, id)) {
        return;
      }
    } else {
      long blocked = gate.blocked(call.exchange());
      if (blocked > 0) {
        gate.tooManyFailures(call.exchange(), blocked);
        return;
      }
      long stamp = grants.stamp();
      Checked checked = checkDownload(call, authorization, id, releaseId);
      if (!admitted(call, id)) {
        return;
      }
      if (!checked.allowed()) {
        throw notFoundModule(module);
      }
      grant = grants.grant(checked.device(), checked.token(), publishedRelease(releaseId.get()));
      grants.put(stamp, grant);
      grants.releaseChecked(stamp, releaseId.get());
    }
    call.admit(grant.device());
    artifact(call, grant);
  }

  private static SluiceException.NotFound notFoundModule(String module) {
    return new SluiceException.NotFound(
        "software module", module.length() > 64 ? module.substring(0, 64) : module);
  }

  private boolean grantHolds(DownloadGrants.Grant grant, Optional<String> authorization) {
    DdiAccess.Credential credential;
    try {
      credential = DdiAccess.credential(authorization);
    } catch (SluiceException e) {
      return false;
    }
    return speaksFor(credential, grant.targetToken(), grant.device().product());
  }

  /** Charges the device's rate budget and records it as seen; false when it answered 429. */
  private boolean admitted(Call call, ControllerId id) {
    long wait = gate.acquire(id.value());
    if (wait > 0) {
      gate.tooManyRequests(call.exchange(), wait);
      return false;
    }
    gate.lastSeen().seen(id, clock.instant());
    return true;
  }

  /** An authenticated device, its target token's hash and whether it may download the release. */
  private record Checked(Device device, Optional<Sha256> token, boolean allowed) {}

  /** What a read transaction found for a download without a grant (gateway tokens: two). */
  private record Found(Optional<Device> device, Optional<Sha256> token, boolean allowed) {}

  private Checked checkDownload(
      Call call, Optional<String> authorization, ControllerId id, Optional<ReleaseId> releaseId) {
    try {
      DdiAccess.Credential credential = DdiAccess.credential(authorization);
      if (credential.kind() == DdiAccess.Credential.Kind.GATEWAY) {
        Device device = gate.access().authorize(credential, id, false);
        cache.rememberGateway(credential.sha256(), device.product());
        boolean allowed =
            releaseId.isPresent()
                && transactions.read(repos -> downloadable(repos, id, releaseId.get()));
        return new Checked(device, Optional.empty(), allowed);
      }
      Found found =
          transactions.read(
              repos -> {
                Optional<DeviceRepository.WithTargetToken> row =
                    repos.devices().findWithTargetToken(id);
                if (row.isEmpty()) {
                  return new Found(Optional.empty(), Optional.empty(), false);
                }
                return new Found(
                    Optional.of(row.get().device()),
                    row.get().targetTokenHash(),
                    releaseId.isPresent() && downloadable(repos, id, releaseId.get()));
              });
      Device device = gate.access().check(credential, found.device(), found.token());
      return new Checked(device, found.token(), found.allowed());
    } catch (SluiceException.Unauthenticated | SluiceException.Forbidden e) {
      gate.failed(call.exchange());
      throw e;
    }
  }

  private void artifact(Call call, DownloadGrants.Grant grant) throws IOException {
    String file = call.path("fileName");
    Device device = grant.device();
    Release release = grant.release();
    ReleaseId releaseId = release.id();
    Optional<Artifact> artifact = artifactNamed(release, file);
    if (artifact.isEmpty() && file.endsWith(MD5SUM)) {
      String name = file.substring(0, file.length() - MD5SUM.length());
      Artifact base =
          artifactNamed(release, name)
              .orElseThrow(() -> new SluiceException.NotFound("artifact", file));
      ArtifactDigests d = digests.of(base.sha256());
      byte[] text = (d.md5() + "  " + name + "\n").getBytes(StandardCharsets.US_ASCII);
      if (call.exchange().getRequestMethod().toString().equals("HEAD")) {
        call.exchange().setStatusCode(200);
        call.exchange().getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        call.exchange().getResponseHeaders().put(Headers.CONTENT_LENGTH, text.length);
        return;
      }
      call.bytes(200, "text/plain", text);
      return;
    }
    Artifact a = artifact.orElseThrow(() -> new SluiceException.NotFound("artifact", file));
    Optional<String> ifMatch = call.header("If-Match");
    if (ifMatch.isPresent() && !ifMatchHolds(ifMatch.get(), a)) {
      problems.send(
          call.exchange(),
          412,
          "Precondition Failed",
          "If-Match names neither the artifact's ETag (its SHA-256) nor its SHA-1",
          null);
      return;
    }
    // Never the bytes of a blob changed in storage (issue 10, item 9): 503 instead. A blob verified
    // as its file is now costs one stat; any other is verified (hashed) first.
    Optional<BlobStore.LocalFile> local = blobs.verifiedFile(a.sha256());
    if (local.isEmpty()) {
      try {
        blobs.verify(a.sha256());
      } catch (java.nio.file.NoSuchFileException e) {
        throw new SluiceException.NotFound("artifact content", file);
      }
      local = blobs.verifiedFile(a.sha256());
      if (local.isEmpty() && blobs.localPath(a.sha256()).isPresent()) {
        throw new IOException("the blob's file changed while it was verified");
      }
    }
    ArtifactSender.Source source =
        local
            .<ArtifactSender.Source>map(f -> new ArtifactSender.Source.File(f.path(), f.size()))
            .orElseGet(() -> new ArtifactSender.Source.Store(blobs, a.sha256()));
    if (call.exchange().getRequestMethod().toString().equals("GET")
        && !grant.downloadNoted().get()) {
      noteDownload(device, releaseId, a);
      // Until the device's actions change (which drops the grant) there is nothing more to note.
      grant.downloadNoted().set(true);
    }
    ArtifactSender.send(call, source, a.size(), a.sha256().hex(), a.name().value());
  }

  /**
   * The first download of an action's artifact is recorded (a download-only action succeeds only
   * once the device holds the artifacts); a read tells whether there is anything to record. Once
   * per grant: recording changes the device's actions, which drops its grants.
   */
  private void noteDownload(Device device, ReleaseId release, Artifact a) {
    boolean todo =
        transactions.read(
            repos ->
                repos.actions().openFor(device.id()).stream()
                    .anyMatch(
                        x ->
                            x.spec().release().equals(release)
                                && !x.status().awaitsConsent()
                                && !repos
                                    .actions()
                                    .feedbackExists(
                                        x.id(), ActionService.SERVER_DOWNLOAD, "none")));
    if (todo) {
      Instant now = clock.instant();
      deviceWrites.write(
          repos -> {
            actions.artifactServed(repos, device.id(), release, a.name().value(), now);
            return null;
          });
    }
  }

  /**
   * hawkBit compares If-Match with the artifact's SHA-1 (its ETag); Sluice's ETag is the SHA-256.
   */
  private boolean ifMatchHolds(String header, Artifact a) {
    String sha1 = null;
    for (String candidate : header.split(",")) {
      String c = candidate.strip();
      if (c.startsWith("W/")) {
        continue; // If-Match uses strong comparison
      }
      String bare =
          c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")
              ? c.substring(1, c.length() - 1)
              : c;
      if (c.equals("*") || bare.equalsIgnoreCase(a.sha256().hex())) {
        return true;
      }
      if (sha1 == null) {
        sha1 = digests.of(a.sha256()).sha1();
      }
      if (bare.equalsIgnoreCase(sha1)) {
        return true;
      }
    }
    return false;
  }

  // ---- helpers

  /**
   * The release's artifact of that name. Compared as text (every artifact's name is a valid {@link
   * ArtifactName}, so an invalid one matches none): every download asks, and validating the name
   * and streaming over the artifacts was a visible share of a Range request's Java time.
   */
  private static Optional<Artifact> artifactNamed(Release release, String name) {
    for (Artifact a : release.artifacts()) {
      if (a.name().value().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  private Release release(ReleaseId id) {
    return transactions
        .read(repos -> repos.releases().find(id))
        .orElseThrow(() -> new SluiceException.NotFound("release", id.value()));
  }

  private static ActionId actionId(Call call) {
    String text = call.path("actionId");
    try {
      return ActionId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound(
          "action", text.length() > 32 ? text.substring(0, 32) : text);
    }
  }

  /** {@code scheme://host/{tenant}/controller/v1/{id}}, from the request (or trusted proxy). */
  private String deviceBase(HttpServerExchange ex, String controllerId) {
    String scheme = ex.getRequestScheme();
    String host = ex.getRequestHeaders().getFirst(Headers.HOST);
    if (config.trustForwardedHeaders()) {
      String proto = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
      if (proto != null) {
        scheme = proto.strip().equalsIgnoreCase("https") ? "https" : "http";
      }
      String fwdHost = ex.getRequestHeaders().getFirst("X-Forwarded-Host");
      if (fwdHost != null) {
        host = fwdHost.split(",")[0].strip();
      }
    }
    if (host == null) {
      host = ex.getHostAndPort();
    }
    // Nearly every request names the same host: the last one found valid is not matched again
    // (the matcher was a visible share of what a poll allocated).
    if (!host.equals(validHost)) {
      if (!HOST.matcher(host).matches()) {
        throw new SluiceException.InvalidInput("the Host header is not a host name");
      }
      validHost = host;
    }
    return scheme + "://" + host + "/" + config.tenant() + "/controller/v1/" + controllerId;
  }

  private static void ok(Call call) {
    HttpServerExchange ex = call.exchange();
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    ex.endExchange();
  }
}
