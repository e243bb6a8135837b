package dev.sluice.cli.fleet;

import java.net.URI;
import java.net.http.HttpRequest;
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
 * attributes when the server asks; sleep the interval the server asks for (or the override), with
 * jitter. Runs on its own virtual thread until the stop signal.
 */
final class SimulatedDeviceLoop implements Runnable {
  /**
   * The configData key through which the device reports the version it runs; Sluice confirms a
   * RUNNING_VERSION action when it matches the release's version.
   */
  static final String VERSION_ATTRIBUTE = "sluice.version";

  /** Until a device hears the server's interval it assumes hawkBit's customary five minutes. */
  private static final Duration DEFAULT_POLL = Duration.ofMinutes(5);

  /** How many finished action ids a device remembers, to ignore links to them. */
  private static final int REMEMBERED = 8;

  private final SimulatedDevice device;
  private final DdiClient ddi;
  private final FleetStats stats;
  private final FleetSettings settings;
  private final StopSignal stop;
  private final DeviceBehaviour behaviour;
  private final Runnable firstFinish;
  private final SequencedSet<String> finished = new LinkedHashSet<>();

  private final HttpRequest pollRequest;
  private Duration interval;
  private Optional<String> current = Optional.empty();
  private boolean downloaded;
  private Optional<String> unconfirmedVersion = Optional.empty();
  private boolean attributesSent;
  private boolean finishedOne;

  /**
   * @param firstFinish called once, when the device finishes its first action
   */
  SimulatedDeviceLoop(
      SimulatedDevice device,
      DdiClient ddi,
      FleetStats stats,
      FleetSettings settings,
      StopSignal stop,
      Runnable firstFinish) {
    this.device = device;
    this.ddi = ddi;
    this.stats = stats;
    this.settings = settings;
    this.stop = stop;
    this.firstFinish = firstFinish;
    this.behaviour = new DeviceBehaviour(settings.seed(), device.index(), settings.failureRate());
    this.interval = settings.pollOverride().orElse(DEFAULT_POLL);
    this.pollRequest = ddi.pollRequest(device);
  }

  @Override
  public void run() {
    try {
      Duration wait = behaviour.firstPoll(settings.pollOverride().orElse(Duration.ofSeconds(10)));
      // Devices sleep rather than wait on the stop signal: a hundred thousand waiters on one latch
      // make each interruption scan the latch's queue. Stopping interrupts the sleepers.
      while (!stop.stopped()) {
        Thread.sleep(wait);
        if (stop.stopped()) {
          return;
        }
        Optional<Duration> retryAfter = cycle();
        wait = behaviour.jittered(interval);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
          wait = retryAfter.get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One poll and whatever it asks for; how long the server asked to wait, if it did. */
  private Optional<Duration> cycle() throws InterruptedException {
    try {
      PollAnswer answer = ddi.poll(pollRequest);
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
      stats.error(device.controllerId() + ": " + e.getMessage());
      return e.retryAfter();
    }
  }

  private void deploy(URI link) throws DdiException, InterruptedException {
    String id = PollAnswer.actionId(link);
    if (finished.contains(id)) {
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
    unconfirmedVersion = deployment.version();
    Thread.sleep(settings.rebootTime());
    confirm();
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
        ddi.download(device, artifact);
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
    ddi.configData(device, Map.of(VERSION_ATTRIBUTE, unconfirmedVersion.orElseThrow()));
    unconfirmedVersion = Optional.empty();
    current.ifPresent(id -> finish(id, Ending.SUCCEEDED));
  }

  private void cancel(URI link) throws DdiException, InterruptedException {
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
    switch (ending) {
      case SUCCEEDED -> stats.actionSucceeded();
      case FAILED -> stats.actionFailed();
      case CANCELED -> stats.actionCanceled();
    }
    if (!finishedOne) {
      finishedOne = true;
      firstFinish.run();
    }
    remember(id);
    current = Optional.empty();
    downloaded = false;
  }

  private void remember(String id) {
    finished.add(id);
    if (finished.size() > REMEMBERED) {
      finished.removeFirst();
    }
  }
}
