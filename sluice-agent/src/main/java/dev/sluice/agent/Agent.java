package dev.sluice.agent;

import dev.sluice.api.WireJson;
import dev.sluice.api.verifier.PublicProduct;
import dev.sluice.trust.chain.HttpChainSource;
import dev.sluice.trust.chain.ReleaseChainVerifier;
import dev.sluice.trust.chain.VerifierState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The device agent (docs/agent.md). Each start of {@link #run} is a boot: a pending slot gets a try
 * and must be confirmed healthy, or the agent falls back. Then it polls DDI; an offered release is
 * verified through the {@link ChainVerifier}, shown to the owner, let through by the update policy,
 * downloaded (resumably, digest checked), written to the inactive slot and marked pending; the
 * agent then stops for the "reboot". Every step is written down before it starts ({@link Job},
 * {@link BootControl}), so a SIGKILL at any point leaves a bootable verified slot and the next
 * start continues or rolls back.
 */
public final class Agent {
  private final StateDir state;
  private final AgentConfig config;
  private final Clock clock;
  private final ChainVerifier verifier;
  private final AgentHttp http;
  private final DdiClient ddi;
  private final Slots slots;
  private final Downloader downloader;
  private final Consumer<String> out;
  private final Trace trace;

  /** Named points of the work, for logs and for the crash-safety harness. */
  @FunctionalInterface
  public interface Trace {
    void at(String point);
  }

  public Agent(
      StateDir state,
      Clock clock,
      AgentHttp http,
      ChainVerifier verifier,
      Consumer<String> out,
      Trace trace) {
    this.state = state;
    this.config = state.config();
    this.clock = clock;
    this.http = http;
    this.verifier = verifier;
    this.out = out;
    this.trace = trace;
    this.ddi =
        new DdiClient(http, config.server(), config.tenant(), config.controllerId(), state.token());
    this.slots = new Slots(config.slots());
    this.downloader = new Downloader(http, state.downloadsDir(), trace::at);
  }

  /** The agent as {@code sluice agent run} builds it, with the chain check of this module. */
  public static Agent create(StateDir state, Clock clock, Consumer<String> out, Trace trace) {
    AgentHttp http = new AgentHttp();
    AgentConfig config = state.config();
    Consumer<String> progress = line -> out.accept("  ✓ " + line);
    ReleaseChainVerifier certification =
        ReleaseChainVerifier.builder()
            .source(new HttpChainSource(config.server()))
            .trustedRoot(state.pinnedRoot())
            .logKey(state.logKey())
            .state(VerifierState.inDirectory(state.path().resolve("chain")))
            .clock(clock)
            .build();
    return new Agent(
        state,
        clock,
        http,
        new CertifiedChainVerifier(
            new TufLogChainVerifier(clock, state, http, config.server(), progress),
            certification,
            progress),
        out,
        trace);
  }

  /** What one {@link #step} ended with. */
  public enum Outcome {
    /** Nothing to do now. */
    IDLE,
    /** Waiting: for the owner (ask, defer), or for the new slot to be confirmed. */
    WAITING,
    /** A slot was written and is pending: the device must reboot (the agent stops). */
    REBOOT,
    /** An update was refused or failed and reported. */
    FAILED,
    /** The server could not be reached; try again later. */
    RETRY
  }

  /**
   * Boots, then polls until a reboot is due ({@code once}: one poll). Holds the state lock.
   *
   * @return the last step's outcome
   */
  public Outcome run(boolean once, Duration fallbackSleep) throws InterruptedException {
    try (FileLock lock = state.lock()) {
      trace.at(lock.isValid() ? "locked" : "unlocked");
      boot();
      while (true) {
        Outcome outcome = step();
        if (once || outcome == Outcome.REBOOT) {
          return outcome;
        }
        Thread.sleep(fallbackSleep.toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The boot: a pending slot gets a try, is confirmed healthy, or is given up. */
  public void boot() {
    BootControl control = slots.read();
    trace.at("boot");
    if (control.pending().isEmpty()) {
      state.clearConfirmRequest();
      return;
    }
    if (control.awaitingConfirmation() && state.confirmRequested()) {
      confirm(control, "confirmed by the owner (sluice agent confirm)");
      return;
    }
    if (control.triesLeft() == 0) {
      fallBack(
          control,
          "slot "
              + control.pending().get()
              + " was not confirmed healthy within "
              + config.maxBootTries()
              + " boots");
      return;
    }
    control = control.bootingPending();
    slots.write(control);
    trace.at("booted-pending");
    out.accept(
        "booted slot "
            + control.running()
            + " ("
            + control.triesLeft()
            + " tries left after this)");
    checkHealth(control);
  }

  private void checkHealth(BootControl control) {
    if (config.healthCommand().isEmpty()) {
      out.accept("waiting for 'sluice agent confirm' to confirm the new slot");
      return;
    }
    int exit =
        Commands.run(
            config.healthCommand().get(),
            Map.of(
                "SLUICE_SLOT", control.running(),
                "SLUICE_SLOT_DIR", slots.slotDir(control.running()).toString()),
            new String[0]);
    if (exit == 0) {
      confirm(control, "health command exited 0");
    } else if (control.triesLeft() == 0) {
      fallBack(control, "health command exited " + exit + " on the last try");
    } else {
      state.log(clock.instant(), "health command exited " + exit + "; slot stays pending");
      out.accept("health check failed (exit " + exit + "); " + control.triesLeft() + " tries left");
    }
  }

  private void confirm(BootControl control, String how) {
    trace.at("confirming");
    BootControl confirmed = control.confirmed();
    slots.write(confirmed);
    state.clearConfirmRequest();
    trace.at("confirmed");
    state.log(clock.instant(), "slot " + confirmed.active() + " confirmed: " + how);
    out.accept("slot " + confirmed.active() + " confirmed: " + how);
  }

  private void fallBack(BootControl control, String reason) {
    trace.at("falling-back");
    BootControl back = control.fellBack();
    slots.write(back);
    state.clearConfirmRequest();
    state.log(clock.instant(), "fell back to slot " + back.active() + ": " + reason);
    out.accept("fell back to slot " + back.active() + ": " + reason);
    state.job().ifPresent(job -> state.storeJob(job.withFailure(reason)));
  }

  /** One poll and whatever it leads to. */
  public Outcome step() {
    try {
      BootControl control = slots.read();
      if (control.pending().isPresent()) {
        if (control.awaitingConfirmation() && state.confirmRequested()) {
          confirm(control, "confirmed by the owner (sluice agent confirm)");
        } else {
          return control.awaitingConfirmation() ? Outcome.WAITING : Outcome.REBOOT;
        }
      }
      Optional<Outcome> settled = settle();
      if (settled.isPresent()) {
        return settled.get();
      }
      DdiClient.Poll poll = ddi.poll();
      trace.at("polled");
      if (poll.cancelAction().isPresent()) {
        return cancel(poll.cancelAction().get());
      }
      if (poll.deploymentBase().isEmpty()) {
        return Outcome.IDLE;
      }
      return deploy(ddi.deployment(poll.deploymentBase().get()));
    } catch (ServerException e) {
      state.log(clock.instant(), "server: " + e.getMessage());
      out.accept("server: " + e.getMessage() + " (will retry)");
      return Outcome.RETRY;
    }
  }

  // A job whose slot was confirmed or given up: report it (again, if a report was lost).
  private Optional<Outcome> settle() {
    Optional<Job> found = state.job();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Job job = found.get();
    if (job.phase() != Job.Phase.INSTALLED && job.phase() != Job.Phase.INSTALLING) {
      return Optional.empty();
    }
    BootControl control = slots.read();
    boolean running =
        control
            .slot(control.active())
            .map(
                i ->
                    i.sha256().matches(job.target().sha256())
                        && i.version().equals(job.target().version()))
            .orElse(false);
    if (running) {
      String version = job.target().version().value();
      ddi.feedback(
          job.actionId(),
          "closed",
          "success",
          Optional.empty(),
          "running version " + version + " in slot " + control.active() + " after reboot");
      ddi.configData(Map.of("sluice.version", version, "sluice.slot", control.active()));
      keepInstalledManifest(job);
      deleteQuietly(downloader.verifiedFile(job.target()));
      state.clearJob();
      trace.at("reported-success");
      state.log(clock.instant(), "installed and running " + job.target().tufPath());
      out.accept("running " + version + ": reported success");
      return Optional.of(Outcome.IDLE);
    }
    if (job.phase() == Job.Phase.INSTALLED || job.failure().isPresent()) {
      String reason = job.failure().orElse("the new slot did not become the running one");
      ddi.feedback(
          job.actionId(),
          "closed",
          "failure",
          Optional.empty(),
          "fell back to " + control.active() + ": " + reason);
      deleteQuietly(downloader.verifiedFile(job.target()));
      deleteQuietly(manifestFile(job.target()));
      state.clearJob();
      trace.at("reported-failure");
      return Optional.of(Outcome.FAILED);
    }
    // INSTALLING and not running: the install was interrupted; deploy() redoes it.
    return Optional.empty();
  }

  private void keepInstalledManifest(Job job) {
    Path manifest = manifestFile(job.target());
    if (Files.exists(manifest)) {
      try {
        state.storeInstalledManifest(Files.readAllBytes(manifest));
        Files.deleteIfExists(manifest);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Path manifestFile(VerifiedTarget target) {
    return state
        .downloadsDir()
        .resolve(target.manifestSha256().map(m -> m.hex()).orElse("none") + ".manifest.json");
  }

  private Outcome cancel(URI link) {
    String actionId = ddi.cancelTarget(link);
    Optional<Job> job = state.job();
    if (job.isPresent()
        && job.get().actionId().equals(actionId)
        && job.get().phase().compareTo(Job.Phase.INSTALLING) >= 0) {
      out.accept("cancel of action " + actionId + " refused: already installing");
      return Outcome.WAITING;
    }
    job.ifPresent(j -> deleteQuietly(downloader.partialFile(j.target())));
    state.clearJob();
    ddi.cancelFeedback(actionId, "the agent stopped the action before installing");
    out.accept("action " + actionId + " canceled");
    return Outcome.IDLE;
  }

  private Outcome deploy(DdiClient.Deployment d) {
    if (!d.installNow()) {
      return Outcome.WAITING;
    }
    Optional<Job> existing = state.job().filter(j -> j.actionId().equals(d.actionId()));
    if (state.job().isPresent() && existing.isEmpty()) {
      // The server moved on to another action; what the old one left is useless.
      deleteQuietly(downloader.partialFile(state.job().get().target()));
      state.clearJob();
    }
    try {
      DdiClient.Artifact artifact = chooseArtifact(d);
      BootControl control = slots.read();
      String product = requireProduct(d.product(), control);
      ReleaseVersion version = parseVersion(d.version());
      Optional<ReleaseVersion> highest = control.highestVersion();
      if (highest.isPresent() && version.isOlderThan(highest.get())) {
        throw new UpdateRefusedException(
            Refusal.DOWNGRADE,
            version + " is older than " + highest.get() + ", the highest version installed");
      }
      Optional<BootControl.SlotImage> runningImage = control.slot(control.running());
      if (runningImage.isPresent()
          && runningImage.get().version().equals(version)
          && existing.isEmpty()) {
        ddi.feedback(
            d.actionId(),
            "closed",
            "success",
            Optional.empty(),
            "already running version " + version);
        ddi.configData(Map.of("sluice.version", version.value()));
        return Outcome.IDLE;
      }
      out.accept("verifying " + product + " " + version + " (" + artifact.filename() + ")");
      VerifiedTarget target = verifier.verify(product, version, artifact.filename());
      trace.at("verified");
      ManifestReview review =
          ManifestReview.fetch(http, config.server(), target, state.installedManifest());
      review.lines().forEach(out);
      Job job =
          existing.orElseGet(
              () ->
                  new Job(
                      d.actionId(),
                      target,
                      Job.Phase.WAITING,
                      clock.instant(),
                      review.securityUpdate(),
                      runningImage.map(i -> i.version().value()),
                      Optional.empty()));
      if (!job.target().equals(target)) {
        throw new UpdateRefusedException(
            Refusal.TAMPERED,
            "the action now points to other bytes than when it was first verified");
      }
      if (existing.isEmpty()) {
        state.storeJob(job);
      }
      Optional<String> wait = policyWait(job, product);
      if (wait.isPresent()) {
        if (existing.isEmpty()) {
          ddi.feedback(d.actionId(), "proceeding", "none", Optional.empty(), wait.get());
        }
        out.accept(wait.get());
        return Outcome.WAITING;
      }
      AtomicFiles.write(manifestFile(target), review.manifest());
      return install(d, artifact, job);
    } catch (UpdateRefusedException e) {
      return refuse(d.actionId(), e);
    }
  }

  private Outcome install(DdiClient.Deployment d, DdiClient.Artifact artifact, Job job) {
    VerifiedTarget target = job.target();
    if (job.phase().compareTo(Job.Phase.DOWNLOADING) < 0) {
      job = job.withPhase(Job.Phase.DOWNLOADING);
      state.storeJob(job);
      ddi.feedback(
          d.actionId(),
          "proceeding",
          "none",
          Optional.empty(),
          "downloading " + target.file() + " (" + target.length() + " bytes), chain verified");
    }
    trace.at("downloading");
    Path image = downloader.download(artifact.download(), ddi.authorization(), target);
    trace.at("downloaded");
    job = job.withPhase(Job.Phase.INSTALLING);
    state.storeJob(job);
    BootControl control = slots.read();
    String slot = control.inactive();
    out.accept("installing " + target.version() + " into slot " + slot);
    try {
      trace.at("installing");
      control = slots.writeSlot(control, slot, image, target);
      trace.at("slot-written");
      if (config.installer().isPresent()) {
        Path written = slots.slotDir(slot).resolve(target.file());
        int exit =
            Commands.run(
                config.installer().get(),
                Map.of(
                    "SLUICE_IMAGE", written.toString(),
                    "SLUICE_SLOT", slot,
                    "SLUICE_SLOT_DIR", slots.slotDir(slot).toString(),
                    "SLUICE_VERSION", target.version().value()),
                new String[] {written.toString(), slot});
        if (exit != 0) {
          slots.write(control.withSlot(slot, Optional.empty()));
          throw new UpdateRefusedException(
              Refusal.UNVERIFIABLE,
              "the installer exited " + exit + "; slot " + slot + " not switched");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing slot " + slot + " failed", e);
    }
    control = control.withPending(slot, config.maxBootTries()).withProduct(target.product());
    slots.write(control);
    trace.at("slot-switched");
    state.storeJob(job.withPhase(Job.Phase.INSTALLED));
    deleteQuietly(image);
    // docs/ddi.md: proceeding with cnt == of > 0 moves the action to "installed".
    ddi.feedback(
        d.actionId(),
        "proceeding",
        "none",
        Optional.of(new int[] {1, 1}),
        "installed into slot " + slot + "; rebooting to confirm");
    trace.at("reboot");
    out.accept("installed into slot " + slot + "; reboot (next agent start) to try it");
    return Outcome.REBOOT;
  }

  private Optional<String> policyWait(Job job, String product) {
    String version = job.target().version().value();
    return switch (config.policy().kind()) {
      case AUTO -> Optional.empty();
      case ASK ->
          state.approved(version)
              ? Optional.empty()
              : Optional.of(
                  "waiting for the owner: sluice agent approve "
                      + version
                      + " --state "
                      + state.path());
      case DEFER -> {
        Instant due = job.firstSeen().plus(Duration.ofDays(config.policy().deferDays()));
        if (!clock.instant().isBefore(due)) {
          yield Optional.empty();
        }
        if (job.securityUpdate()) {
          Optional<Boolean> deferrable = securityUpdatesDeferrable(product);
          if (deferrable.isEmpty()) {
            out.accept(
                "the server does not say whether security updates of "
                    + product
                    + " may be deferred; treating them as deferrable");
          } else if (!deferrable.get()) {
            out.accept("security update: " + product + " does not allow deferring it");
            yield Optional.empty();
          }
        }
        yield Optional.of(
            "deferred until " + due + " (policy defer:" + config.policy().deferDays() + ")");
      }
    };
  }

  // The policy branch's public product API; absent on servers without it.
  private Optional<Boolean> securityUpdatesDeferrable(String product) {
    AgentHttp.Response r =
        http.get(URI.create(config.server() + "/api/v1/public/products/" + product), null, 1 << 20);
    if (r.status() != 200) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          WireJson.MAPPER.readValue(r.body(), PublicProduct.class).securityUpdatesDeferrable());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Outcome refuse(String actionId, UpdateRefusedException e) {
    state.log(clock.instant(), "refused action " + actionId + ": " + e.getMessage());
    out.accept("REFUSED: " + e.getMessage());
    state
        .job()
        .ifPresent(
            j -> {
              deleteQuietly(downloader.partialFile(j.target()));
              deleteQuietly(downloader.verifiedFile(j.target()));
              deleteQuietly(manifestFile(j.target()));
            });
    state.clearJob();
    ddi.feedback(actionId, "closed", "failure", Optional.empty(), "refused: " + e.getMessage());
    trace.at("refused");
    return Outcome.FAILED;
  }

  private DdiClient.Artifact chooseArtifact(DdiClient.Deployment d) {
    if (d.artifacts().size() == 1) {
      return d.artifacts().get(0);
    }
    String wanted = config.image().orElse("system.img");
    return d.artifacts().stream()
        .filter(a -> a.filename().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new UpdateRefusedException(
                    Refusal.UNVERIFIABLE,
                    "the release has "
                        + d.artifacts().size()
                        + " artifacts and none is '"
                        + wanted
                        + "' (set --image)"));
  }

  private String requireProduct(String offered, BootControl control) {
    Optional<String> mine = config.product().or(control::product);
    if (mine.isPresent() && !mine.get().equals(offered)) {
      throw new UpdateRefusedException(
          Refusal.WRONG_PRODUCT,
          "the release is of " + offered + "; this device runs " + mine.get());
    }
    return offered;
  }

  private static ReleaseVersion parseVersion(String text) {
    try {
      return new ReleaseVersion(text);
    } catch (IllegalArgumentException e) {
      throw new UpdateRefusedException(Refusal.UNVERIFIABLE, e.getMessage());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover partial file is re-hashed or replaced by the next download.
    }
  }
}
