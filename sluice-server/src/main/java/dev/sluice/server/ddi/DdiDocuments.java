package dev.sluice.server.ddi;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.api.WireJson;
import dev.sluice.api.ddi.ActionHistory;
import dev.sluice.api.ddi.CancelActionBase;
import dev.sluice.api.ddi.ConfirmationBase;
import dev.sluice.api.ddi.ControllerBase;
import dev.sluice.api.ddi.DdiLink;
import dev.sluice.api.ddi.DeploymentBase;
import dev.sluice.api.ddi.DeploymentBase.Chunk;
import dev.sluice.api.ddi.DeploymentBase.DdiArtifact;
import dev.sluice.api.ddi.DeploymentBase.Deployment;
import dev.sluice.api.ddi.DeploymentBase.Metadata;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.device.Device;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.release.Release;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON documents of the device API, shaped as hawkBit's DDI v1 shapes them: the poll answer
 * (sleep and links), and a deployment (action id as a string, download/update handling, chunks of
 * artifacts with hashes, integer sizes and download links), as the {@code dev.sluice.api.ddi}
 * records that the agent reads them with.
 */
final class DdiDocuments {
  private DdiDocuments() {}

  /**
   * The poll answer. Links: {@code cancelAction} for the oldest action awaiting a cancel
   * acknowledgement; else {@code confirmationBase} for an action awaiting the owner's consent; else
   * {@code deploymentBase} for the open action the device still has to carry out (also one
   * installed and awaiting the confirmation after the restart, which SWUpdate sends from there; not
   * one the device already reported {@code closed/success}); {@code installedBase} for its newest
   * succeeded installation; {@code configData} when Sluice has no attributes of the device or
   * awaits its running version. Without any link, {@code _links} is omitted (as hawkBit does).
   */
  static byte[] poll(
      String deviceBase,
      Duration sleep,
      Device device,
      List<Action> open,
      Optional<Action> installed,
      Instant now) {
    Map<String, DdiLink> links = new LinkedHashMap<>();
    Optional<Action> canceling =
        open.stream().filter(a -> a.status() == ActionStatus.CANCELING).findFirst();
    Optional<Action> consent =
        open.stream().filter(a -> a.status().awaitsConsent()).reduce((first, second) -> second);
    Optional<Action> todo =
        open.stream()
            .filter(a -> a.status() != ActionStatus.CANCELING)
            .filter(a -> a.status() != ActionStatus.AWAITING_VERSION)
            .filter(a -> !a.status().awaitsConsent())
            .filter(a -> a.status() == ActionStatus.INSTALLED || !waitsForWindow(a, now))
            .reduce((first, second) -> second);
    if (canceling.isPresent()) {
      href(links, "cancelAction", deviceBase + "/cancelAction/" + canceling.get().id());
    } else if (consent.isPresent()) {
      Action a = consent.get();
      href(
          links,
          "confirmationBase",
          deviceBase + "/confirmationBase/" + a.id() + "?c=" + changeHash(a, now));
    } else if (todo.isPresent()) {
      Action a = todo.get();
      href(
          links,
          "deploymentBase",
          deviceBase + "/deploymentBase/" + a.id() + "?c=" + changeHash(a, now));
    }
    installed.ifPresent(a -> href(links, "installedBase", deviceBase + "/installedBase/" + a.id()));
    boolean awaitsVersion =
        open.stream().anyMatch(a -> a.status() == ActionStatus.AWAITING_VERSION);
    if (device.attributes().isEmpty() || awaitsVersion) {
      href(links, "configData", deviceBase + "/configData");
    }
    return pollAnswer(DdiConfig.hhmmss(sleep), links);
  }

  /**
   * The bytes Jackson writes for a {@link ControllerBase} of this sleep and these links ({@code
   * {"config":{"polling":{"sleep":…}},"_links":{…}}}, no {@code _links} without one), streamed
   * without building the record and walking its serializers: every poll miss writes one.
   */
  static byte[] pollAnswer(String sleep, Map<String, DdiLink> links) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = WireJson.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeObjectFieldStart("config");
      json.writeObjectFieldStart("polling");
      json.writeStringField("sleep", sleep);
      json.writeEndObject();
      json.writeEndObject();
      if (!links.isEmpty()) {
        json.writeObjectFieldStart("_links");
        for (Map.Entry<String, DdiLink> link : links.entrySet()) {
          json.writeObjectFieldStart(link.getKey());
          json.writeStringField("href", link.getValue().href());
          json.writeEndObject();
        }
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a poll answer", e);
    }
    return out.toByteArray();
  }

  /**
   * Whether the action may not be installed now (its maintenance window is closed). Such an action
   * is not offered on the poll at all: SWUpdate answers {@code update: skip} with a {@code
   * closed/success} ("Skipped Update."), which reads like an installation.
   */
  static boolean waitsForWindow(Action action, Instant now) {
    return action.spec().type() != ActionType.DOWNLOAD_ONLY
        && !dev.sluice.core.action.ActionService.installAllowed(action, now);
  }

  /**
   * A deployment: deploymentBase/{id} and installedBase/{id} answer with this document; {@code
   * messages}, the device's own messages the request asked for, become its {@code actionHistory}.
   */
  static DeploymentBase deployment(
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      List<String> messages,
      Instant now) {
    return new DeploymentBase(
        action.id().toString(),
        handling(deviceBase, action, release, part, digests, now),
        history(action, messages));
  }

  /**
   * A confirmation request: confirmationBase/{id} answers with the deployment the owner is asked to
   * accept, under {@code confirmation} (hawkBit's shape).
   */
  static ConfirmationBase confirmation(
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      List<String> messages,
      Instant now) {
    return new ConfirmationBase(
        action.id().toString(),
        handling(deviceBase, action, release, part, digests, now),
        history(action, messages));
  }

  /** {@code actionHistory}: the action's status (hawkBit's names) and the device's messages. */
  private static ActionHistory history(Action action, List<String> messages) {
    return messages.isEmpty() ? null : new ActionHistory(hawkbitStatus(action.status()), messages);
  }

  /** hawkBit's action status names, for actionHistory. */
  static String hawkbitStatus(ActionStatus status) {
    return switch (status) {
      case WAITING_CONFIRMATION, DENIED -> "WAIT_FOR_CONFIRMATION";
      case OFFERED, RUNNING, INSTALLED, AWAITING_VERSION -> "RUNNING";
      case DOWNLOADED -> "DOWNLOADED";
      case SUCCEEDED -> "FINISHED";
      case FAILED -> "ERROR";
      case CANCELING -> "CANCELING";
      case CANCELED -> "CANCELED";
    };
  }

  private static Deployment handling(
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      Instant now) {
    Handling handling = Handling.of(action, now);
    Chunk chunk =
        new Chunk(
            part,
            release.version().value(),
            release.product().value(),
            List.of(
                new Metadata("release_id", release.id().value()),
                new Metadata("manifest_sha256", release.manifestSha256().hex())),
            artifacts(deviceBase, release, digests));
    return new Deployment(
        handling.download(), handling.update(), handling.window().orElse(null), List.of(chunk));
  }

  /** The release's artifacts as DDI lists them (also {@code softwaremodules/{id}/artifacts}). */
  static List<DdiArtifact> artifacts(
      String deviceBase, Release release, Function<Artifact, ArtifactDigests> digests) {
    List<DdiArtifact> artifacts = new ArrayList<>();
    String module = deviceBase + "/softwaremodules/" + release.id().value() + "/artifacts/";
    for (Artifact artifact : release.artifacts()) {
      ArtifactDigests d = digests.apply(artifact);
      Map<String, String> hashes = new LinkedHashMap<>();
      hashes.put("sha1", d.sha1());
      hashes.put("md5", d.md5());
      hashes.put("sha256", artifact.sha256().hex());
      String file = module + artifact.name().value();
      Map<String, DdiLink> links = new LinkedHashMap<>();
      href(links, "download", file);
      href(links, "download-http", file);
      href(links, "md5sum", file + ".MD5SUM");
      href(links, "md5sum-http", file + ".MD5SUM");
      artifacts.add(new DdiArtifact(artifact.name().value(), hashes, artifact.size(), links));
    }
    return List.copyOf(artifacts);
  }

  /** A cancel request: cancelAction/{id}. */
  static CancelActionBase cancel(Action action) {
    return new CancelActionBase(
        action.id().toString(), new CancelActionBase.CancelAction(action.id().toString()));
  }

  /**
   * How the device is to handle an action now: {@code download} and {@code update} each {@code
   * skip}, {@code attempt} (the device or its user decides) or {@code forced}; {@code
   * maintenanceWindow} {@code available}/{@code unavailable} when the action has a window. Outside
   * its window an action may be downloaded but not installed.
   */
  record Handling(String download, String update, Optional<String> window) {
    static Handling of(Action action, Instant now) {
      ActionType type = action.spec().type();
      boolean forced =
          type == ActionType.FORCED
              || (type == ActionType.TIMEFORCED
                  && action.spec().forcedAt().map(t -> !now.isBefore(t)).orElse(false));
      String download = forced || type == ActionType.DOWNLOAD_ONLY ? "forced" : "attempt";
      String update = type == ActionType.DOWNLOAD_ONLY ? "skip" : forced ? "forced" : "attempt";
      Optional<MaintenanceWindow> window = action.spec().window();
      Optional<String> availability = window.map(w -> w.isOpen(now) ? "available" : "unavailable");
      if (availability.isPresent() && availability.get().equals("unavailable")) {
        update = "skip";
      }
      return new Handling(download, update, availability);
    }
  }

  /** Changes whenever what the device should do about the action changes (the {@code c} param). */
  static String changeHash(Action action, Instant now) {
    Handling h = Handling.of(action, now);
    String state =
        action.id()
            + "/"
            + action.spec().release().value()
            + "/"
            + h.download()
            + "/"
            + h.update()
            + "/"
            + h.window().orElse("-");
    return Sha256.of(state.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
  }

  private static void href(Map<String, DdiLink> links, String name, String href) {
    links.put(name, new DdiLink(href));
  }
}
