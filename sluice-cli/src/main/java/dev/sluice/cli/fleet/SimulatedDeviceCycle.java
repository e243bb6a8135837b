package dev.sluice.cli.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * One simulated device, as a DDI client on a real device behaves: poll; when the server offers a
 * deployment, fetch it, report {@code proceeding}, download and verify every artifact, report
 * {@code downloaded}, install (report {@code closed/success}, or {@code closed/failure} for a
 * device failing at the fleet's or the version's failure rate), "reboot", and confirm it runs the
 * new version by reporting it through {@code configData}; acknowledge cancellations; upload its
 * attributes when the server asks; wait the interval the server asks for (or the override), with
 * jitter.
 *
 * <p>It holds no thread: {@link #cycle} does what one wake-up of the device does and says how long
 * the device then waits, and the {@link FleetSimulator}'s workers run the cycles of the devices
 * that are due. A device that is not working on an action keeps a few fields, so that a million of
 * them fit in the heap.
 */
final class SimulatedDeviceCycle {
  /**
   * The configData key through which the device reports the version it runs; Sluice confirms a
   * RUNNING_VERSION action when it matches the release's version.
   */
  static final String VERSION_ATTRIBUTE = "sluice.version";

  /** Until a device hears the server's interval it assumes hawkBit's customary five minutes. */
  private static final Duration DEFAULT_POLL = Duration.ofMinutes(5);

  /** How many finished action ids a device remembers, to ignore links to them. */
  private static final int REMEMBERED = 8;

  /**
   * What the devices of a fleet share: the DDI client, the statistics, the settings, and what to
   * call when a device finishes its first action.
   */
  record Fleet(DdiClient ddi, FleetStats stats, FleetSettings settings, Runnable firstFinish) {}

  private final Fleet fleet;
  private final SimulatedDevice device;
  private final DeviceBehaviour behaviour;

  /** Action ids this device finished, created with its first finished action. */
  private SequencedSet<String> finished;

  private Duration interval;
  private Optional<String> current = Optional.empty();
  private boolean downloaded;
  private Optional<String> unconfirmedVersion = Optional.empty();

  /** It reported an installation and is "rebooting": its next wake-up confirms the version. */
  private boolean rebooting;

  private boolean attributesSent;
  private boolean finishedOne;

  SimulatedDeviceCycle(Fleet fleet, SimulatedDevice device) {
    this.fleet = fleet;
    this.device = device;
    this.behaviour =
        new DeviceBehaviour(
            fleet.settings().seed(), device.index(), fleet.settings().failureRate());
    this.interval = fleet.settings().pollOverride().orElse(DEFAULT_POLL);
  }

  /** How long after the start the device first wakes: anywhere within its first interval. */
  Duration firstWake() {
    return behaviour.firstPoll(fleet.settings().pollOverride().orElse(Duration.ofSeconds(10)));
  }

  /**
   * One wake-up of the device: a poll and whatever it asks for (or, after a reboot, the
   * confirmation of the new version).
   *
   * @return how long the device waits before its next wake-up
   */
  Duration cycle() throws InterruptedException {
    Optional<Duration> retryAfter = exchange();
    if (rebooting) {
      return fleet.settings().rebootTime();
    }
    Duration wait = behaviour.jittered(interval);
    if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
      wait = retryAfter.get();
    }
    return wait;
  }

  /** The exchanges of one wake-up; how long the server asked to wait, if it did. */
  private Optional<Duration> exchange() throws InterruptedException {
    DdiClient ddi = fleet.ddi();
    FleetSettings settings = fleet.settings();
    try {
      if (rebooting) {
        rebooting = false;
        confirm();
        return Optional.empty();
      }
      PollAnswer answer = ddi.poll(device);
      if (settings.pollOverride().isEmpty()) {
        answer.sleep().ifPresent(s -> interval = s.isZero() ? Duration.ofSeconds(1) : s);
      }
      if (unconfirmedVersion.isPresent()) {
        confirm();
      }
      if (answer.cancelAction().isPresent()) {
        cancel(answer.cancelAction().get());
      } else if (answer.deploymentBase().isPresent()) {
        deploy(answer.deploymentBase().get());
      }
      if (answer.configData().isPresent() && !attributesSent) {
        ddi.configData(device, Map.of("hw_revision", "simulated", "simulator", "sluice fleet"));
        attributesSent = true;
      }
      return Optional.empty();
    } catch (DdiException e) {
      fleet.stats().error(device.controllerId() + ": " + e.getMessage());
      return e.retryAfter();
    } catch (RuntimeException e) {
      // Counted, and the device carries on at its next wake-up: the worker running this cycle
      // must not end with it, or the fleet would lose a worker to each such failure.
      fleet.stats().error(device.controllerId() + ": " + e);
      return Optional.empty();
    }
  }

  private void deploy(URI link) throws DdiException, InterruptedException {
    DdiClient ddi = fleet.ddi();
    FleetStats stats = fleet.stats();
    FleetSettings settings = fleet.settings();
    String id = PollAnswer.actionId(link);
    if (finished != null && finished.contains(id)) {
      return;
    }
    if (current.isPresent() && !current.get().equals(id)) {
      // The server replaced the action without asking us to stop the old one.
      finish(current.get(), Ending.CANCELED);
    }
    Deployment deployment = ddi.deployment(device, link);
    if (current.isEmpty()) {
      current = Optional.of(id);
      downloaded = false;
      stats.actionStarted();
      ddi.deploymentFeedback(
          device,
          id,
          "proceeding",
          "none",
          "downloading " + deployment.artifacts().size() + " artifact(s)");
    }
    if (!downloaded && !deployment.download().equals("skip")) {
      for (Deployment.Artifact artifact : deployment.artifacts()) {
        try {
          downloadRetryingTransientFailures(artifact);
        } catch (DdiException e) {
          ddi.deploymentFeedback(device, id, "closed", "failure", e.getMessage());
          finish(id, Ending.FAILED);
          throw e;
        }
      }
      downloaded = true;
      ddi.deploymentFeedback(device, id, "downloaded", "none", "all artifacts verified");
    }
    if (deployment.downloadOnly()) {
      finish(id, Ending.SUCCEEDED);
      return;
    }
    if (!deployment.installNow()) {
      return; // the maintenance window is closed: install on a later poll
    }
    if (behaviour.failsAt(settings.failureRateFor(deployment.version()))) {
      ddi.deploymentFeedback(device, id, "closed", "failure", "simulated installation failure");
      finish(id, Ending.FAILED);
      return;
    }
    ddi.deploymentFeedback(device, id, "closed", "success", "installed; rebooting");
    if (deployment.version().isEmpty()) {
      finish(id, Ending.SUCCEEDED);
      return;
    }
    // The device "reboots": its next wake-up, a reboot time from now, confirms the version.
    unconfirmedVersion = deployment.version();
    rebooting = true;
  }

  /** How many times a device tries one download before it reports the action failed. */
  static final int DOWNLOAD_ATTEMPTS = 3;

  /**
   * Downloads an artifact as a real device does: a broken connection, a {@code 429} or a {@code
   * 5xx} is tried again (after the server's {@code Retry-After}, or a short back-off) up to {@link
   * #DOWNLOAD_ATTEMPTS} times; any other refusal, or the last failure, is final.
   */
  private void downloadRetryingTransientFailures(Deployment.Artifact artifact)
      throws DdiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        fleet.ddi().download(device, artifact);
        return;
      } catch (DdiException e) {
        int status = e.status().orElse(0);
        boolean transientFailure = status == 0 || status == 429 || status >= 500;
        if (!transientFailure || attempt >= DOWNLOAD_ATTEMPTS) {
          throw e;
        }
        Duration backOff = e.retryAfter().orElse(Duration.ofMillis(500L * attempt));
        Thread.sleep(Math.min(backOff.toMillis(), 30_000L));
      }
    }
  }

  /** After the "reboot": report the version it now runs, which confirms the action. */
  private void confirm() throws DdiException, InterruptedException {
    fleet.ddi().configData(device, Map.of(VERSION_ATTRIBUTE, unconfirmedVersion.orElseThrow()));
    unconfirmedVersion = Optional.empty();
    current.ifPresent(id -> finish(id, Ending.SUCCEEDED));
  }

  private void cancel(URI link) throws DdiException, InterruptedException {
    DdiClient ddi = fleet.ddi();
    String stopId = ddi.cancelTarget(device, link);
    ddi.cancelFeedback(device, PollAnswer.actionId(link));
    if (current.isPresent() && current.get().equals(stopId)) {
      unconfirmedVersion = Optional.empty();
      finish(stopId, Ending.CANCELED);
    } else {
      remember(stopId);
    }
  }

  private enum Ending {
    SUCCEEDED,
    FAILED,
    CANCELED
  }

  private void finish(String id, Ending ending) {
    FleetStats stats = fleet.stats();
    switch (ending) {
      case SUCCEEDED -> stats.actionSucceeded();
      case FAILED -> stats.actionFailed();
      case CANCELED -> stats.actionCanceled();
    }
    if (!finishedOne) {
      finishedOne = true;
      fleet.firstFinish().run();
    }
    remember(id);
    current = Optional.empty();
    downloaded = false;
  }

  private void remember(String id) {
    if (finished == null) {
      finished = new LinkedHashSet<>();
    }
    finished.add(id);
    if (finished.size() > REMEMBERED) {
      finished.removeFirst();
    }
  }
}
