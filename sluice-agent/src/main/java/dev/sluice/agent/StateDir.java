package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.TlogException;
import dev.sluice.trust.tuf.TufVerifier;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.TufException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's state directory (docs/agent.md, "State directory"): the pinned TUF root, the log
 * verifier key, the device identity and token, the configuration, and everything the agent learns
 * (trusted TUF metadata, the last verified checkpoint, the job in progress, downloads). Every file
 * is replaced atomically ({@link AtomicFiles}); the token is readable by its owner only.
 */
public final class StateDir {
  private final Path dir;

  private StateDir(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a state directory with everything {@code sluice agent init} is given. The directory is
   * assembled under a temporary name and renamed into place, so it either exists complete or not at
   * all.
   *
   * @throws AgentStateException if {@code dir} exists, or the root or log key is invalid
   */
  public static StateDir init(
      Path dir, AgentConfig config, byte[] root, String logKey, String token) {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new AgentStateException(
          "--state " + dir + " already exists; an agent is initialised once");
    }
    requireRoot(root);
    requireLogKey(logKey);
    if (token.isBlank() || token.length() > 512 || !token.matches("[\\x21-\\x7e]+")) {
      throw new AgentStateException("--token must be 1-512 printable characters without spaces");
    }
    Path parent = target.getParent();
    Path temp =
        parent.resolve("." + target.getFileName() + ".init-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(parent);
      deleteTree(temp);
      Files.createDirectories(temp);
      AtomicFiles.write(temp.resolve("root.json"), root);
      AtomicFiles.write(
          temp.resolve("log.vkey"), (logKey.strip() + "\n").getBytes(StandardCharsets.UTF_8));
      AtomicFiles.writePrivate(temp.resolve("token"), token.getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(temp.resolve("config.json"), CanonicalJson.encode(config.toJson()));
      AtomicFiles.syncDirectory(temp);
      AtomicFiles.moveDurably(temp, target);
    } catch (IOException | UncheckedIOException e) {
      throw new AgentStateException("cannot create the state directory " + dir + ": " + e, e);
    }
    return new StateDir(target);
  }

  /**
   * Opens an initialised state directory.
   *
   * @throws AgentStateException if it is not one
   */
  public static StateDir open(Path dir) {
    Path path = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve("config.json"))) {
      throw new AgentStateException(
          "--state " + dir + " is not an agent state directory (run 'sluice agent init')");
    }
    return new StateDir(path);
  }

  public Path path() {
    return dir;
  }

  /** The configuration; a malformed file names the field. */
  public AgentConfig config() {
    try {
      return AgentConfig.fromJson(CanonicalJson.parse(read("config.json")));
    } catch (IllegalArgumentException e) {
      throw new AgentStateException(dir.resolve("config.json") + ": " + e.getMessage(), e);
    }
  }

  public byte[] pinnedRoot() {
    return read("root.json");
  }

  public NoteVerifier logKey() {
    return requireLogKey(new String(read("log.vkey"), StandardCharsets.UTF_8));
  }

  public String token() {
    return new String(read("token"), StandardCharsets.UTF_8).strip();
  }

  /** Where trusted TUF metadata lives (one file per role). */
  public Path tufDir() {
    return ensureDir("tuf");
  }

  public Path downloadsDir() {
    return ensureDir("downloads");
  }

  /** The last checkpoint (signed note) the agent verified, if any. */
  public Optional<byte[]> checkpoint() {
    return optional("checkpoint");
  }

  public void storeCheckpoint(byte[] note) {
    AtomicFiles.write(dir.resolve("checkpoint"), note);
  }

  /** Keeps two checkpoints that contradict each other, as evidence of a log fork. */
  public Path keepForkEvidence(byte[] stored, byte[] served, Instant now) {
    Path evidence = ensureDir("evidence").resolve("fork-" + now.getEpochSecond());
    try {
      Files.createDirectories(evidence);
      AtomicFiles.write(evidence.resolve("stored.checkpoint"), stored);
      AtomicFiles.write(evidence.resolve("served.checkpoint"), served);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return evidence;
  }

  /** The job in progress ({@code job.json}), if any. */
  public Optional<Job> job() {
    return optional("job.json").map(b -> parse("job.json", b, Job::fromJson));
  }

  public void storeJob(Job job) {
    AtomicFiles.write(dir.resolve("job.json"), CanonicalJson.encode(job.toJson()));
  }

  public void clearJob() {
    delete("job.json");
  }

  /** The manifest of the installed version (its bytes as served), if known. */
  public Optional<byte[]> installedManifest() {
    return optional("installed-manifest.json");
  }

  public void storeInstalledManifest(byte[] manifest) {
    AtomicFiles.write(dir.resolve("installed-manifest.json"), manifest);
  }

  /** Whether the owner approved installing {@code version} ({@code sluice agent approve}). */
  public boolean approved(String version) {
    return Files.exists(dir.resolve("approved").resolve(version));
  }

  public void approve(ReleaseVersion version) {
    AtomicFiles.write(
        ensureDir("approved").resolve(version.value()),
        Instant.now().toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code sluice agent confirm} asked to confirm the running slot. */
  public boolean confirmRequested() {
    return Files.exists(dir.resolve("confirm-request"));
  }

  public void requestConfirm() {
    AtomicFiles.write(dir.resolve("confirm-request"), new byte[0]);
  }

  public void clearConfirmRequest() {
    delete("confirm-request");
  }

  /** Appends one line to {@code agent.log}, the device-local record of what the agent did. */
  public void log(Instant now, String line) {
    try {
      Files.writeString(
          dir.resolve("agent.log"),
          now + " " + line.replace('\n', ' ') + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to agent.log", e);
    }
  }

  /**
   * Takes the agent lock: one agent process per state directory. The operating system releases it
   * when the process dies, however it dies.
   *
   * @throws AgentStateException if another agent holds it
   */
  public FileLock lock() {
    try {
      FileChannel channel =
          FileChannel.open(
              dir.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new AgentStateException("another agent is running on " + dir);
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      throw new AgentStateException("another agent is running on " + dir, e);
    } catch (IOException e) {
      throw new AgentStateException("cannot lock " + dir + ": " + e, e);
    }
  }

  private static void requireRoot(byte[] root) {
    try {
      Metadata<Root> parsed = Metadata.parse(root, Root.class);
      TufVerifier.verifyThreshold(parsed, "root", parsed.signed());
    } catch (TufException | IllegalArgumentException e) {
      throw new AgentStateException("--root is not a self-signed TUF root: " + e.getMessage(), e);
    }
  }

  private static NoteVerifier requireLogKey(String vkey) {
    try {
      return NoteVerifier.parse(vkey.strip());
    } catch (TlogException e) {
      throw new AgentStateException(
          "--log-key is not a log verifier key (<name>+<hex id>+<base64 key>): " + e.getMessage(),
          e);
    }
  }

  private interface Parser<T> {
    T parse(JsonNode json);
  }

  private <T> T parse(String name, byte[] bytes, Parser<T> parser) {
    try {
      return parser.parse(CanonicalJson.parse(bytes));
    } catch (RuntimeException e) {
      throw new AgentStateException(dir.resolve(name) + " is malformed: " + e.getMessage(), e);
    }
  }

  private byte[] read(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new AgentStateException("cannot read " + dir.resolve(name) + ": " + e, e);
    }
  }

  private Optional<byte[]> optional(String name) {
    Path file = dir.resolve(name);
    return Files.exists(file) ? Optional.of(read(name)) : Optional.empty();
  }

  private void delete(String name) {
    try {
      if (Files.deleteIfExists(dir.resolve(name))) {
        AtomicFiles.syncDirectory(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path ensureDir(String name) {
    Path sub = dir.resolve(name);
    try {
      Files.createDirectories(sub);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sub;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
