package dev.sluice.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.client.FileDigest;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.Version;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The story {@code sluice demo} tells: three independent labs, a product that needs two of them, a
 * release that breaks a standard and is blocked with a report, and a release that passes and is
 * certified by two labs' signatures made with keys the server never sees.
 */
final class DemoStory {
  static final String PRODUCT = "acme-phone";
  private static final Map<String, String> LABS = new LinkedHashMap<>();

  static {
    LABS.put("lab-a", "Independent Test Lab A");
    LABS.put("lab-b", "Consumer Safety Institute B");
    LABS.put("lab-c", "Open Source Audit Collective C");
  }

  private final DemoSession sh;
  private final Path dir;
  private final DemoSession.Actor admin;
  private final Map<String, DemoSession.Actor> labs = new LinkedHashMap<>();
  private DemoSession.Actor manager;

  /** What the story produced, for the closing summary. */
  record Outcome(String blockedRelease, String certifiedRelease, String logVerifierKey) {}

  DemoStory(DemoSession session, Path dir, String adminToken) {
    this.sh = session;
    this.dir = dir;
    this.admin = new DemoSession.Actor("admin", "ADMIN_TOKEN", adminToken);
  }

  Outcome run() throws IOException {
    sh.narrate(
        "Three independent certification labs each generate a signing key on their own machine.");
    Files.createDirectories(dir.resolve("keys"));
    for (String lab : LABS.keySet()) {
      String scheme = lab.equals("lab-b") ? "ecdsa-p256" : "ed25519";
      expect(
          sh.local(lab, "keys", "generate", "--out", key(lab).toString(), "--scheme", scheme), 0);
    }

    sh.narrate(
        "The admin registers the labs' public keys, and a product whose releases need 2 of the 3"
            + " labs to sign off.");
    for (Map.Entry<String, String> lab : LABS.entrySet()) {
      expect(
          sh.api(
              admin,
              "certifier",
              "add",
              "--id",
              lab.getKey(),
              "--name",
              lab.getValue(),
              "--key",
              key(lab.getKey()) + ".pub"),
          0);
    }
    List<String> product = new ArrayList<>(List.of("product", "create", "--name", PRODUCT));
    product.addAll(List.of("--description", "Acme's phone OS, certified in the open"));
    LABS.keySet().forEach(lab -> product.addAll(List.of("--certifier", lab)));
    product.addAll(List.of("--threshold", "2", "--max-artifact-size", "64MiB"));
    expect(sh.api(admin, product.toArray(String[]::new)), 0);

    sh.narrate(
        "The admin gives each lab a token bound to its identity, and one to a release manager.");
    for (String lab : LABS.keySet()) {
      String variable = lab.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_TOKEN";
      String token =
          expect(
                  sh.api(
                      admin,
                      "token",
                      "create",
                      "--role",
                      "certifier",
                      "--certifier",
                      lab,
                      "--label",
                      lab),
                  0)
              .firstLine();
      labs.put(lab, new DemoSession.Actor(lab, variable, token));
    }
    String managerToken =
        expect(
                sh.api(
                    admin,
                    "token",
                    "create",
                    "--role",
                    "release-manager",
                    "--label",
                    "release-manager"),
                0)
            .firstLine();
    manager = new DemoSession.Actor("release-manager", "RM_TOKEN", managerToken);

    sh.narrate(
        "The release manager uploads "
            + PRODUCT
            + " 14.0.0. One component now contacts "
            + ExampleManifests.UNDECLARED_ENDPOINT
            + ", which the manifest does not declare.");
    String blocked = release("14.0.0", true);
    sh.note("Check it against the product's standards:");
    expect(sh.api(manager, "release", "check", blocked), 3);
    sh.note("Blocked: it can never be certified or shipped, and the report says exactly why.");

    sh.narrate("The manager declares the endpoint with a justification and uploads 14.0.1.");
    String good = release("14.0.1", false);
    expect(sh.api(manager, "release", "check", good), 0);

    sh.narrate(
        "Two labs review the release statement and sign it with their own keys; the signatures are"
            + " made here, the private keys never reach the server.");
    expect(sh.api(labs.get("lab-a"), "certify", good, "--key", key("lab-a").toString()), 0);
    expect(sh.api(labs.get("lab-b"), "certify", good, "--key", key("lab-b").toString()), 0);
    expect(sh.api(admin, "release", "show", good), 0);

    sh.narrate(
        "Before anything ships, the TUF root key holders create the update repository's root"
            + " (2 of 3 keys, kept offline; here all three sign on this machine).");
    for (int i = 1; i <= 3; i++) {
      expect(sh.local("root-holder-" + i, "keys", "generate", "--out", rootKey(i).toString()), 0);
    }
    expect(
        sh.api(
            admin,
            "tuf",
            "root",
            "init",
            "--threshold",
            "2",
            "--key",
            rootKey(1).toString(),
            "--key",
            rootKey(2).toString(),
            "--key",
            rootKey(3).toString()),
        0);

    sh.narrate(
        "Publishing appends the release record (statement, sign-offs) to the transparency log,"
            + " then lists the artifacts as TUF targets that carry their log index.");
    expect(sh.api(manager, "release", "publish", good), 0);
    expect(sh.api(manager, "release", "publish", blocked), 1);
    sh.note("The blocked release cannot be published.");

    sh.narrate("Anyone can audit the log with the verifier key, obtained from the operator:");
    String verifierKey =
        expect(sh.local("operator", "log", "key", "--data", dir.toString()), 0).firstLine();
    expect(
        sh.local(
            "auditor",
            "log",
            "verify",
            "--server",
            sh.server().toString(),
            "--key",
            verifierKey,
            "--state",
            dir.resolve("auditor-log.state").toString()),
        0);

    sh.narrate("Every step is in the append-only audit trail:");
    expect(sh.api(admin, "audit", "list", "--subject", "release/" + good), 0);
    return new Outcome(blocked, good, verifierKey);
  }

  /**
   * Ships another release of the product the way the story shipped the first, without the
   * narration: upload, check, two labs certify, publish. Returns its id.
   */
  String ship(String version) throws IOException {
    String id = release(version, false);
    expect(sh.api(manager, "release", "check", id), 0);
    expect(sh.api(labs.get("lab-a"), "certify", id, "--key", key("lab-a").toString()), 0);
    expect(sh.api(labs.get("lab-c"), "certify", id, "--key", key("lab-c").toString()), 0);
    expect(sh.api(manager, "release", "publish", id), 0);
    return id;
  }

  private Path rootKey(int i) {
    return dir.resolve("keys").resolve("root-" + i + ".key");
  }

  private String release(String version, boolean breaking) throws IOException {
    Path releaseDir = Files.createDirectories(dir.resolve("releases").resolve(version));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    // Small stand-ins: a thousand simulated phones download and verify every byte of them.
    sizes.put("system.img", 512 << 10);
    sizes.put("boot.img", 128 << 10);
    List<Artifact> artifacts = new ArrayList<>();
    List<String> args =
        new ArrayList<>(List.of("release", "create", "--product", PRODUCT, "--version", version));
    for (Map.Entry<String, Integer> entry : sizes.entrySet()) {
      Path file = releaseDir.resolve(entry.getKey());
      writeImage(file, version + "/" + entry.getKey(), entry.getValue());
      artifacts.add(
          new Artifact(
              new ArtifactName(entry.getKey()), FileDigest.sha256(file), entry.getValue()));
    }
    ObjectNode manifest =
        breaking
            ? ExampleManifests.breaking(PRODUCT, Version.parse(version), artifacts)
            : ExampleManifests.valid(PRODUCT, Version.parse(version), artifacts);
    Path manifestFile = releaseDir.resolve("manifest.json");
    Files.writeString(manifestFile, manifest.toPrettyString() + "\n", StandardCharsets.UTF_8);
    args.addAll(List.of("--manifest", manifestFile.toString()));
    for (String name : sizes.keySet()) {
      args.addAll(List.of("--artifact", releaseDir.resolve(name).toString()));
    }
    return expect(sh.api(manager, args.toArray(String[]::new)), 0).firstLine();
  }

  /** A deterministic stand-in for an OS image: a SHA-256 chain, so each image differs. */
  private static void writeImage(Path file, String seed, int size) throws IOException {
    byte[] block = Sha256.of(seed.getBytes(StandardCharsets.UTF_8)).bytes();
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int written = 0;
      while (written < size) {
        for (int i = 0; i < buffer.length; i += 32) {
          block = Sha256.of(block).bytes();
          System.arraycopy(block, 0, buffer, i, 32);
        }
        int n = Math.min(buffer.length, size - written);
        out.write(buffer, 0, n);
        written += n;
      }
    }
  }

  private Path key(String lab) {
    return dir.resolve("keys").resolve(lab + ".key");
  }

  private static DemoSession.Result expect(DemoSession.Result result, int exitCode) {
    if (result.exitCode() != exitCode) {
      throw new CommandFailedException(
          "the demo expected exit code " + exitCode + " but got " + result.exitCode());
    }
    return result;
  }
}
