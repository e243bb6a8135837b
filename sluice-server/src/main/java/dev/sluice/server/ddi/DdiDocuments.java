package dev.sluice.server.ddi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.action.MaintenanceWindow;
import dev.sluice.core.device.Device;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.release.Release;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON documents of the device API, shaped as hawkBit's DDI v1 shapes them: the poll answer
 * (sleep and links), and a deployment (action id as a string, download/update handling, chunks of
 * artifacts with hashes, integer sizes and download links).
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
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.putObject("config").putObject("polling").put("sleep", DdiConfig.hhmmss(sleep));
    ObjectNode links = WireJson.MAPPER.createObjectNode();
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
    if (!links.isEmpty()) {
      root.set("_links", links);
    }
    return bytes(root);
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

  /** A deployment: deploymentBase/{id} and installedBase/{id} answer with this document. */
  static ObjectNode deployment(
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      Instant now) {
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.put("id", action.id().toString());
    handling(root.putObject("deployment"), deviceBase, action, release, part, digests, now);
    return root;
  }

  /**
   * A confirmation request: confirmationBase/{id} answers with the deployment the owner is asked to
   * accept, under {@code confirmation} (hawkBit's shape).
   */
  static ObjectNode confirmation(
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      Instant now) {
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.put("id", action.id().toString());
    handling(root.putObject("confirmation"), deviceBase, action, release, part, digests, now);
    return root;
  }

  /** {@code actionHistory}: the action's status (hawkBit's names) and the device's messages. */
  static void actionHistory(ObjectNode root, Action action, List<String> messages) {
    if (messages.isEmpty()) {
      return;
    }
    ObjectNode history = root.putObject("actionHistory");
    history.put("status", hawkbitStatus(action.status()));
    ArrayNode list = history.putArray("messages");
    messages.forEach(list::add);
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

  private static void handling(
      ObjectNode deployment,
      String deviceBase,
      Action action,
      Release release,
      String part,
      Function<Artifact, ArtifactDigests> digests,
      Instant now) {
    Handling handling = Handling.of(action, now);
    deployment.put("download", handling.download());
    deployment.put("update", handling.update());
    handling.window().ifPresent(w -> deployment.put("maintenanceWindow", w));
    ArrayNode chunks = deployment.putArray("chunks");
    ObjectNode chunk = chunks.addObject();
    chunk.put("part", part);
    chunk.put("version", release.version().value());
    chunk.put("name", release.product().value());
    ArrayNode metadata = chunk.putArray("metadata");
    metadata.addObject().put("key", "release_id").put("value", release.id().value());
    metadata.addObject().put("key", "manifest_sha256").put("value", release.manifestSha256().hex());
    chunk.set("artifacts", artifacts(deviceBase, release, digests));
  }

  /** The release's artifacts as DDI lists them (also {@code softwaremodules/{id}/artifacts}). */
  static ArrayNode artifacts(
      String deviceBase, Release release, Function<Artifact, ArtifactDigests> digests) {
    ArrayNode artifacts = WireJson.MAPPER.createArrayNode();
    String module = deviceBase + "/softwaremodules/" + release.id().value() + "/artifacts/";
    for (Artifact artifact : release.artifacts()) {
      ArtifactDigests d = digests.apply(artifact);
      ObjectNode a = artifacts.addObject();
      a.put("filename", artifact.name().value());
      ObjectNode hashes = a.putObject("hashes");
      hashes.put("sha1", d.sha1());
      hashes.put("md5", d.md5());
      hashes.put("sha256", artifact.sha256().hex());
      a.put("size", artifact.size());
      ObjectNode links = a.putObject("_links");
      String file = module + artifact.name().value();
      href(links, "download", file);
      href(links, "download-http", file);
      href(links, "md5sum", file + ".MD5SUM");
      href(links, "md5sum-http", file + ".MD5SUM");
    }
    return artifacts;
  }

  /** A cancel request: cancelAction/{id}. */
  static ObjectNode cancel(Action action) {
    ObjectNode root = WireJson.MAPPER.createObjectNode();
    root.put("id", action.id().toString());
    root.putObject("cancelAction").put("stopId", action.id().toString());
    return root;
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

  private static void href(ObjectNode links, String name, String href) {
    links.putObject(name).put("href", href);
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return WireJson.MAPPER.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a DDI document", e);
    }
  }
}
