package dev.sluice.cli.demo;

import dev.sluice.cli.command.CommandFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's third part: the whole chain, checked with public data only. An outsider verifies the
 * published release with {@code sluice verify}; one real phone runs the Sluice agent, which
 * verifies every link before it installs into an A/B slot, boots, is confirmed and reports success;
 * the operator cannot give itself a certifier's signing power; and a release revoked after it was
 * assigned is withdrawn from the phone, its action cancelled with the logged reason.
 */
final class AgentChapter {
  static final String PHONE = "agent-phone-1";

  private final DemoSession sh;
  private final Path dir;
  private final DemoSession.Actor admin;

  /** The release the agent installed and the one withdrawn from it. */
  record Outcome(String installed, String withdrawn) {}

  AgentChapter(DemoSession session, Path dir, String adminToken) {
    this.sh = session;
    this.dir = dir;
    this.admin = new DemoSession.Actor("admin", "ADMIN_TOKEN", adminToken);
  }

  Outcome run(DemoStory story, String certified, String logKey) throws IOException {
    Path root = dir.resolve("root.json");
    download(sh.server().resolve("/tuf/1.root.json"), root);
    String server = sh.server().toString();

    sh.narrate(
        "A journalist checks the certified release with public data only: the pinned TUF root,"
            + " the log's verifier key, and what the server serves to anyone. Each link of the"
            + " chain is printed.");
    expect(
        sh.local(
            "journalist",
            "verify",
            "--server",
            server,
            "--root",
            root.toString(),
            "--log-key",
            logKey,
            "--state",
            dir.resolve("journalist-verify").toString(),
            certified),
        0);

    sh.narrate(
        "One real phone runs the Sluice agent. It pins the same root and log key, then installs"
            + " only what it verified itself, down to the certifiers' signatures under the logged"
            + " policy.");
    String token =
        expect(sh.api(admin, "device", "register", PHONE, "--product", DemoStory.PRODUCT), 0)
            .firstLine();
    Path tokenFile = dir.resolve("agent-phone.token");
    Files.writeString(tokenFile, token + "\n");
    Path state = dir.resolve("agent-phone");
    expect(
        sh.local(
            PHONE,
            "agent",
            "init",
            "--server",
            server,
            "--root",
            root.toString(),
            "--log-key",
            logKey,
            "--controller-id",
            PHONE,
            "--token",
            "@" + tokenFile,
            "--product",
            DemoStory.PRODUCT,
            "--state",
            state.toString(),
            "--slots",
            dir.resolve("agent-phone-slots").toString()),
        0);
    expect(sh.api(admin, "device", "assign", PHONE, "--release", certified), 0);
    sh.note("The agent polls, verifies, shows what the update does, and writes the inactive slot:");
    agentRun(state);
    sh.note("The phone reboots into the new slot; its owner (or a health check) confirms it:");
    agentRun(state);
    expect(sh.local(PHONE, "agent", "confirm", "--state", state.toString()), 0);
    agentRun(state);
    expect(sh.local(PHONE, "agent", "status", "--state", state.toString()), 0);
    expect(sh.api(admin, "device", "show", PHONE), 0);

    sh.narrate(
        "The operator tries to make itself a certifier: it adds a key of its own to lab-a,"
            + " signing the change with that same key. Only one of lab-a's current keys can"
            + " endorse a new one, so the server refuses, and nothing enters the log.");
    Path operatorKey = dir.resolve("keys").resolve("operator.key");
    expect(sh.local("admin", "keys", "generate", "--out", operatorKey.toString()), 0);
    expect(
        sh.api(
            admin,
            "certifier",
            "add-key",
            "lab-a",
            "--key",
            operatorKey + ".pub",
            "--endorse-key",
            operatorKey.toString()),
        1);

    sh.narrate(
        "A release is published, assigned to the phone, and then revoked: it bricks old"
            + " bootloaders. The revocation is a log record, and the transaction that records it"
            + " cancels every open action of the release, so the phone is never offered it (were"
            + " a server to offer it anyway, the agent would find the revocation in the log and"
            + " refuse).");
    String revoked = story.ship("14.2.0");
    expect(sh.api(admin, "device", "assign", PHONE, "--release", revoked), 0);
    expect(
        sh.api(
            admin, "release", "revoke", revoked, "--reason", "bricks devices with old bootloaders"),
        0);
    agentRun(state);
    expect(sh.api(admin, "device", "actions", PHONE), 0);
    return new Outcome(certified, revoked);
  }

  private void agentRun(Path state) {
    // Exit 0 when the step installed, waited or confirmed; 1 when the agent refused (reported).
    DemoSession.Result result =
        sh.local(PHONE, "agent", "run", "--once", "--state", state.toString());
    if (result.exitCode() != 0 && result.exitCode() != 1) {
      throw new CommandFailedException(
          "the demo's agent run ended with exit code " + result.exitCode());
    }
  }

  private static void download(URI uri, Path target) throws IOException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new CommandFailedException("GET " + uri + " answered " + response.statusCode());
      }
      Files.write(target, response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
  }

  private static DemoSession.Result expect(DemoSession.Result result, int exitCode) {
    if (result.exitCode() != exitCode) {
      throw new CommandFailedException(
          "the demo expected exit code " + exitCode + " but got " + result.exitCode());
    }
    return result;
  }
}
