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
    // One pass over the open actions (usually none or one): the oldest canceling one, the newest
    // awaiting consent, the newest still to carry out.
    Action canceling = null;
    Action consent = null;
    Action todo = null;
    boolean awaitsVersion = false;
    for (Action a : open) {
      ActionStatus status = a.status();
      if (status == ActionStatus.CANCELING) {
        if (canceling == null) {
          canceling = a;
        }
      } else if (status == ActionStatus.AWAITING_VERSION) {
        awaitsVersion = true;
      } else if (status.awaitsConsent()) {
        consent = a;
      } else if (status == ActionStatus.INSTALLED || !waitsForWindow(a, now)) {
        todo = a;
      }
    }
    String[] names = new String[3];
    String[] hrefs = new String[3];
    int n = 0;
    if (canceling != null) {
      names[n] = "cancelAction";
      hrefs[n++] = deviceBase + "/cancelAction/" + canceling.id();
    } else if (consent != null) {
      names[n] = "confirmationBase";
      hrefs[n++] =
          deviceBase + "/confirmationBase/" + consent.id() + "?c=" + changeHash(consent, now);
    } else if (todo != null) {
      names[n] = "deploymentBase";
      hrefs[n++] = deviceBase + "/deploymentBase/" + todo.id() + "?c=" + changeHash(todo, now);
    }
    if (installed.isPresent()) {
      names[n] = "installedBase";
      hrefs[n++] = deviceBase + "/installedBase/" + installed.get().id();
    }
    if (device.attributes().isEmpty() || awaitsVersion) {
      names[n] = "configData";
      hrefs[n++] = deviceBase + "/configData";
    }
    return pollAnswer(DdiConfig.hhmmss(sleep), names, hrefs, n);
  }

  /**
   * The bytes Jackson writes for a {@link ControllerBase} of this sleep and these links ({@code
   * {"config":{"polling":{"sleep":…}},"_links":{…}}}, no {@code _links} without one).
   */
  static byte[] pollAnswer(String sleep, Map<String, DdiLink> links) {
    String[] names = new String[links.size()];
    String[] hrefs = new String[links.size()];
    int n = 0;
    for (Map.Entry<String, DdiLink> link : links.entrySet()) {
      names[n] = link.getKey();
      hrefs[n++] = link.getValue().href();
    }
    return pollAnswer(sleep, names, hrefs, n);
  }

  /**
   * The first {@code n} links. Every poll miss writes one: written byte by byte where every text is
   * ASCII (escaped as Jackson escapes it), which spares the generator Jackson makes per call and
   * the buffers it takes (a new set per virtual thread: a third of a miss's allocation); Jackson
   * writes the rare answer with other characters.
   */
  private static byte[] pollAnswer(String sleep, String[] names, String[] hrefs, int n) {
    if (!ascii(sleep) || !allAscii(names, n) || !allAscii(hrefs, n)) {
      return pollAnswerByJackson(sleep, names, hrefs, n);
    }
    AsciiJson json = new AsciiJson(96 + 48 * n);
    json.raw("{\"config\":{\"polling\":{\"sleep\":").string(sleep).raw("}}");
    if (n > 0) {
      json.raw(",\"_links\":{");
      for (int i = 0; i < n; i++) {
        json.raw(i == 0 ? "" : ",").string(names[i]).raw(":{\"href\":").string(hrefs[i]).raw("}");
      }
      json.raw("}");
    }
    return json.raw("}").bytes();
  }

  private static boolean allAscii(String[] texts, int n) {
    for (int i = 0; i < n; i++) {
      if (!ascii(texts[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static byte[] pollAnswerByJackson(String sleep, String[] names, String[] hrefs, int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = WireJson.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeObjectFieldStart("config");
      json.writeObjectFieldStart("polling");
      json.writeStringField("sleep", sleep);
      json.writeEndObject();
      json.writeEndObject();
      if (n > 0) {
        json.writeObjectFieldStart("_links");
        for (int i = 0; i < n; i++) {
          json.writeObjectFieldStart(names[i]);
          json.writeStringField("href", hrefs[i]);
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

  /** JSON of ASCII text, escaped as Jackson's generator escapes it (RFC 8259 section 7). */
  private static final class AsciiJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf;
    private int len;

    AsciiJson(int capacity) {
      this.buf = new byte[capacity];
    }

    AsciiJson raw(String ascii) {
      room(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        buf[len++] = (byte) ascii.charAt(i);
      }
      return this;
    }

    AsciiJson string(String ascii) {
      room(ascii.length() + 2);
      buf[len++] = '"';
      for (int i = 0; i < ascii.length(); i++) {
        char c = ascii.charAt(i);
        if (c >= 0x20 && c != '"' && c != '\\') {
          buf[len++] = (byte) c;
          continue;
        }
        room(6 + ascii.length() - i);
        buf[len++] = '\\';
        switch (c) {
          case '"', '\\' -> buf[len++] = (byte) c;
          case '\b' -> buf[len++] = 'b';
          case '\t' -> buf[len++] = 't';
          case '\n' -> buf[len++] = 'n';
          case '\f' -> buf[len++] = 'f';
          case '\r' -> buf[len++] = 'r';
          default -> {
            buf[len++] = 'u';
            buf[len++] = '0';
            buf[len++] = '0';
            buf[len++] = HEX[c >> 4];
            buf[len++] = HEX[c & 0xF];
          }
        }
      }
      buf[len++] = '"';
      return this;
    }

    private void room(int more) {
      if (len + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(2 * buf.length, len + more));
      }
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buf, len);
    }
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
