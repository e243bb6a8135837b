package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tuf.LengthOrHashMismatchException;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.TufException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Verifies the whole chain from a pinned TUF root to the certifiers' private keys for a release, as
 * docs/records.md ("How an outsider walks the chain") describes, and returns a {@link
 * VerifiedRelease} only if every link holds:
 *
 * <ol>
 *   <li>TUF: root, timestamp, snapshot and the product's delegated targets pass the TUF 1.0 client
 *       workflow (threshold signatures, no rollback, not expired) from the pinned root;
 *   <li>the target lists the log index and leaf hash of its release record;
 *   <li>the file being verified has the target's SHA-256 and size;
 *   <li>the log's checkpoint is signed by the log key and consistent with the last one this
 *       verifier stored ({@link VerifierState}; a fork keeps both as evidence);
 *   <li>the entry at that index hashes to the leaf hash and is proven included in the checkpoint;
 *   <li>it is a {@code release} record (v2) of this product, version and artifact;
 *   <li>it is not revoked: fresh TUF still lists it, and no later log entry revokes it;
 *   <li>the statement rebuilt from the record has its {@code statement_sha256} and the target's
 *       digest and size;
 *   <li>the sign-offs verify under the policy record the release names and meet its threshold;
 *   <li>that policy is logged and every link back to sequence 1 is endorsed.
 * </ol>
 *
 * Each refusal throws a {@link ChainVerificationException} subclass naming the broken link; there
 * is no result to ignore. Typical use by a device agent:
 *
 * <pre>{@code
 * ReleaseChainVerifier verifier =
 *     ReleaseChainVerifier.builder()
 *         .source(new HttpChainSource(URI.create("https://updates.example")))
 *         .trustedRoot(Files.readAllBytes(stateDir.resolve("root.json")))
 *         .logKey(NoteVerifier.parse(vkey))
 *         .state(VerifierState.inDirectory(stateDir.resolve("verify")))
 *         .build();
 * VerifiedRelease release = verifier.verifyTarget("acme-phone", "14.0.1", "system.img", image);
 * }</pre>
 *
 * Instances are not meant to be shared between threads; calls are serialized.
 */
public final class ReleaseChainVerifier {
  private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");

  private final ChainSource source;
  private final NoteVerifier logKey;
  private final VerifierState state;
  private final Clock clock;
  private final Consumer<VerifiedLink> onLink;
  private final boolean scanLog;
  private final TufUpdater tuf;

  private ReleaseChainVerifier(Builder b) {
    this.source = Objects.requireNonNull(b.source, "source");
    this.logKey = Objects.requireNonNull(b.logKey, "logKey");
    this.state = b.state;
    this.clock = b.clock;
    this.onLink = b.onLink;
    this.scanLog = b.scanLog;
    this.tuf =
        new TufUpdater(
            clock,
            source.tuf(),
            state.tufStore(),
            Objects.requireNonNull(b.trustedRoot, "trustedRoot"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a verifier; source, trusted root and log key are required. */
  public static final class Builder {
    private ChainSource source;
    private byte[] trustedRoot;
    private NoteVerifier logKey;
    private VerifierState state = VerifierState.inMemory();
    private Clock clock = Clock.systemUTC();
    private Consumer<VerifiedLink> onLink = link -> {};
    private boolean scanLog = true;

    private Builder() {}

    /** Where the public data comes from. */
    public Builder source(ChainSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The pinned TUF root (a {@code root.json} obtained out of band). */
    public Builder trustedRoot(byte[] rootJson) {
      this.trustedRoot = rootJson.clone();
      return this;
    }

    /** The log's verifier key, obtained out of band. */
    public Builder logKey(NoteVerifier logKey) {
      this.logKey = Objects.requireNonNull(logKey, "logKey");
      return this;
    }

    /** Where the last checkpoint and trusted TUF metadata are kept; in memory by default. */
    public Builder state(VerifierState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** The clock freshness is checked against; the system's by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Called with each link as soon as it holds, for progress output. */
    public Builder onLink(Consumer<VerifiedLink> onLink) {
      this.onLink = Objects.requireNonNull(onLink, "onLink");
      return this;
    }

    /**
     * Whether to read every log entry after the release (and after its policy) to find a revocation
     * or a newer policy; on by default. Off, revocation rests on TUF freshness alone.
     */
    public Builder scanLog(boolean scanLog) {
      this.scanLog = scanLog;
      return this;
    }

    public ReleaseChainVerifier build() {
      return new ReleaseChainVerifier(this);
    }
  }

  /**
   * Verifies the chain for one artifact file of a release: the file at {@code file} must be the
   * target {@code <product>/<version>/<fileName>}.
   *
   * @throws ChainVerificationException naming the first link that does not hold
   * @throws UncheckedIOException if the file cannot be read
   */
  public VerifiedRelease verifyTarget(String product, String version, String fileName, Path file) {
    FileDigest digest = FileDigest.of(file);
    return verifyTarget(product, version, fileName, digest.sha256(), digest.size());
  }

  /**
   * Verifies the chain for one artifact before its bytes are fetched: every link but the file's
   * digest. The returned release lists the certified digest and size of each artifact; bytes
   * obtained later must match them (or use {@link #download}, which checks them).
   *
   * @throws ChainVerificationException naming the first link that does not hold
   */
  public synchronized VerifiedRelease verifyTarget(
      String product, String version, String fileName) {
    Run run = new Run(true);
    TargetInfo target = productTarget(run, product, version, fileName);
    Binding binding = binding(List.of(target));
    return verifyChain(run, product, version, List.of(target), binding);
  }

  /**
   * As {@link #verifyTarget(String, String, String, Path)}, for bytes already hashed (for example
   * while they were downloaded).
   */
  public synchronized VerifiedRelease verifyTarget(
      String product, String version, String fileName, Sha256 sha256, long size) {
    Run run = new Run(true);
    TargetInfo target = productTarget(run, product, version, fileName);
    Binding binding = binding(List.of(target));
    String path = target.path();
    if (!target.file().sha256().matches(sha256) || target.file().length() != size) {
      throw new ArtifactMismatchException(
          "the file has sha256 "
              + sha256.hex()
              + " and "
              + size
              + " bytes, but the target "
              + path
              + " has sha256 "
              + target.file().sha256().hex()
              + " and "
              + target.file().length()
              + " bytes");
    }
    run.hold(ChainLink.ARTIFACT, "sha256 " + sha256.hex() + ", " + size + " bytes");
    return verifyChain(run, product, version, List.of(target), binding);
  }

  /**
   * Verifies the chain for every artifact of a release, found by its id among the targets of every
   * product role. Artifact bytes are not read: {@link #download} them to check them.
   *
   * @throws TargetNotFoundException if fresh TUF metadata lists no target of the release
   * @throws ChainVerificationException naming the first link that does not hold
   */
  public synchronized VerifiedRelease verifyRelease(String releaseId) {
    Run run = new Run(true);
    refreshTuf(run);
    Optional<VerifiedRelease> located = verifyLocated(run, releaseId);
    if (located.isPresent()) {
      return located.get();
    }
    List<TargetInfo> targets = new ArrayList<>();
    try {
      for (String role : tuf.delegatedRoles()) {
        for (String path : tuf.listedTargets(role)) {
          TargetInfo info = tuf.targetInfo(path).orElse(null);
          if (info != null
              && info.topRole().equals(role)
              && custom(info, "release_id").map(releaseId::equals).orElse(false)) {
            targets.add(info);
          }
        }
      }
    } catch (TufException e) {
      throw new TufMetadataRefusedException(e.getMessage(), e);
    }
    if (targets.isEmpty()) {
      throw notListed(releaseId);
    }
    String product = targets.get(0).topRole();
    String[] parts = targets.get(0).path().split("/", 3);
    for (TargetInfo t : targets) {
      if (!t.topRole().equals(product) || !t.path().startsWith(product + "/" + parts[1] + "/")) {
        throw new RecordMismatchException(
            "the targets of release " + releaseId + " span several products or versions");
      }
    }
    Binding binding = binding(targets);
    run.hold(ChainLink.TARGET, describeTargets(targets, binding));
    VerifiedRelease verified = verifyChain(run, product, parts[1], targets, binding);
    // A whole release: every certified artifact must be a target, none withheld.
    for (LoggedRelease.Artifact a : verified.artifacts()) {
      String path = product + "/" + parts[1] + "/" + a.name();
      if (!verified.targetPaths().contains(path)) {
        throw new TargetNotFoundException(
            "the release record lists " + a.name() + ", but fresh TUF metadata has no " + path);
      }
    }
    return verified;
  }

  /**
   * The targets, among the roles of every product (or of {@code product}), whose SHA-256 and size
   * are these: how a file is matched to its release.
   *
   * @throws ChainVerificationException if TUF metadata cannot be verified
   */
  public synchronized List<TargetInfo> findTargets(
      Sha256 sha256, long size, Optional<String> product) {
    refreshTuf(new Run(false));
    List<TargetInfo> found = new ArrayList<>();
    try {
      for (String role : product.map(List::of).orElseGet(tuf::delegatedRoles)) {
        for (String path : tuf.listedTargets(role)) {
          Optional<TargetInfo> info = tuf.targetInfo(path);
          if (info.isPresent()
              && info.get().topRole().equals(role)
              && info.get().file().sha256().matches(sha256)
              && info.get().file().length() == size) {
            found.add(info.get());
          }
        }
      }
    } catch (TufException e) {
      throw new TufMetadataRefusedException(e.getMessage(), e);
    }
    return found;
  }

  /**
   * Streams a verified release's target into {@code sink}, returning normally only if the bytes
   * have the target's length and SHA-256. What the sink holds must be discarded otherwise.
   *
   * @throws ArtifactMismatchException if the bytes are not the target's
   * @throws ChainUnavailableException if they cannot be fetched
   */
  public synchronized void download(String targetPath, OutputStream sink) {
    TargetInfo target = resolve(targetPath);
    try {
      tuf.download(target, sink);
    } catch (LengthOrHashMismatchException e) {
      throw new ArtifactMismatchException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new ChainUnavailableException(
          ChainLink.ARTIFACT, "downloading " + targetPath + " failed: " + e.getMessage(), e);
    }
  }

  // The TUF and target links: the target must be vouched for by the product's own role.
  private TargetInfo productTarget(Run run, String product, String version, String fileName) {
    refreshTuf(run);
    String path = product + "/" + version + "/" + fileName;
    TargetInfo target = resolve(path);
    if (!target.topRole().equals(product)) {
      throw new TargetNotFoundException(
          path + " is listed by the TUF role " + target.topRole() + ", not by the product's role");
    }
    run.hold(ChainLink.TARGET, describeTargets(List.of(target), binding(List.of(target))));
    return target;
  }

  /**
   * The fast path of {@link #verifyRelease}: where the source says the release is ({@link
   * ChainSource#locate}) is only a hint for which TUF targets to resolve, so that not every hashed
   * bin of every product is read. The hinted targets must each be a verified TUF target of this
   * release, and the artifacts verified are then those of the logged release record, each resolved
   * through verified TUF metadata; a hint that leads nowhere falls back to the scan of every target
   * (empty), so a wrong hint costs time, never a different verdict.
   */
  private Optional<VerifiedRelease> verifyLocated(Run run, String releaseId) {
    Optional<ReleaseLocation> hint;
    try {
      hint = source.locate(releaseId);
    } catch (ChainUnavailableException e) {
      return Optional.empty();
    }
    if (hint.isEmpty()) {
      return Optional.empty();
    }
    ReleaseLocation where = hint.get();
    List<TargetInfo> hinted = new ArrayList<>();
    try {
      for (String name : where.artifacts()) {
        Optional<TargetInfo> info = ofRelease(where.path(name), where.product(), releaseId);
        if (info.isEmpty()) {
          return Optional.empty();
        }
        hinted.add(info.get());
      }
    } catch (TufException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (hinted.isEmpty()) {
      return Optional.empty();
    }
    Binding binding = binding(hinted);
    LogView log = LogView.open(source, logKey, state, clock.instant());
    LoggedRelease record =
        Records.release(
            log.entry(binding.logIndex(), Optional.of(binding.leafHash()), NotInLogException::new)
                .bytes(),
            binding.logIndex());
    // The record, not the hint, says which artifacts the release has: every one must be a target.
    List<TargetInfo> targets = new ArrayList<>();
    for (LoggedRelease.Artifact a : record.artifacts()) {
      String path = where.product() + "/" + where.version() + "/" + a.name();
      Optional<TargetInfo> info;
      try {
        info = ofRelease(path, where.product(), releaseId);
      } catch (TufException e) {
        throw new TufMetadataRefusedException(e.getMessage(), e);
      }
      if (info.isEmpty()) {
        throw new TargetNotFoundException(
            "the release record lists " + a.name() + ", but fresh TUF metadata has no " + path);
      }
      targets.add(info.get());
    }
    Binding complete = binding(targets);
    run.hold(ChainLink.TARGET, describeTargets(targets, complete));
    return Optional.of(verifyChain(run, where.product(), where.version(), targets, complete, log));
  }

  /** The target at {@code path}, if the product's role lists it for {@code releaseId}. */
  private Optional<TargetInfo> ofRelease(String path, String product, String releaseId)
      throws TufException {
    return tuf.targetInfo(path)
        .filter(
            info ->
                info.topRole().equals(product)
                    && custom(info, "release_id").map(releaseId::equals).orElse(false));
  }

  /**
   * Why fresh TUF metadata lists no target of a release, from the log: the newest release or
   * revocation record of it says whether it was revoked (and why), withheld although logged, or
   * never published. Without a log scan, or when the log cannot be read, only that it is not
   * listed.
   */
  private ChainVerificationException notListed(String releaseId) {
    String notListed = "fresh TUF metadata lists no target of release " + releaseId;
    if (!scanLog) {
      return new TargetNotFoundException(notListed + " (never published, or revoked)");
    }
    LogView log;
    Optional<LogView.Entry> last;
    try {
      log = LogView.open(source, logKey, state, clock.instant());
      last = log.findLast(e -> recordOfRelease(e.bytes(), releaseId).isPresent());
    } catch (ChainUnavailableException e) {
      return new TargetNotFoundException(
          notListed
              + " (never published, or revoked; the log could not be searched: "
              + e.getMessage()
              + ")",
          e);
    }
    if (last.isEmpty()) {
      return new TargetNotFoundException(
          notListed
              + ", and none of the "
              + log.checkpoint().size()
              + " entries of the log's signed tree records it: it was never published");
    }
    LogView.Entry entry = last.get();
    JsonNode record = recordOfRelease(entry.bytes(), releaseId).orElseThrow();
    if (record.path("type").asText("").equals("revocation")) {
      return new RevokedReleaseException(
          releaseId,
          entry.index(),
          notListed
              + ": the log records its revocation at index "
              + entry.index()
              + ": "
              + record.path("reason").asText(""));
    }
    return new TargetNotFoundException(
        notListed
            + ", although the log records its release at index "
            + entry.index()
            + " and no revocation of it: the server withholds a published release");
  }

  /** The entry's JSON if it is a release or revocation record of {@code releaseId}. */
  private static Optional<JsonNode> recordOfRelease(byte[] entry, String releaseId) {
    return Records.tryParse(entry)
        .filter(
            json -> {
              String type = json.path("type").asText("");
              return (type.equals("release") || type.equals("revocation"))
                  && json.path("release_id").asText("").equals(releaseId);
            });
  }

  private VerifiedRelease verifyChain(
      Run run, String product, String version, List<TargetInfo> targets, Binding binding) {
    return verifyChain(
        run,
        product,
        version,
        targets,
        binding,
        LogView.open(source, logKey, state, clock.instant()));
  }

  /** The chain from the checkpoint on, with the log already opened (and its checkpoint checked). */
  private VerifiedRelease verifyChain(
      Run run,
      String product,
      String version,
      List<TargetInfo> targets,
      Binding binding,
      LogView log) {
    run.hold(ChainLink.CHECKPOINT, log.detail());
    long index = binding.logIndex();
    LogView.Entry entry = log.entry(index, Optional.of(binding.leafHash()), NotInLogException::new);
    run.hold(
        ChainLink.INCLUSION,
        "entry "
            + index
            + " (leaf "
            + entry.leafHash().hex()
            + ") is in the tree of size "
            + log.checkpoint().size());

    LoggedRelease record = Records.release(entry.bytes(), index);
    RecordChecks.checkRecord(record, index, product, version, targets, binding.releaseId());
    run.hold(
        ChainLink.RECORD,
        "release "
            + record.releaseId()
            + " of "
            + product
            + " "
            + version
            + " ("
            + LoggedRelease.FORMAT
            + ", "
            + record.artifacts().size()
            + " artifact(s))");

    OptionalLong newerPolicy = checkNotRevoked(run, log, record, index);

    byte[] statement = record.statementBytes();
    RecordChecks.checkStatement(record, statement, targets);
    run.hold(
        ChainLink.STATEMENT,
        "rebuilt from the record: sha256 "
            + record.statementSha256().hex()
            + "; its artifacts are the targets'");

    PolicyRef ref = record.policy();
    if (ref.logIndex() >= index) {
      throw new PolicyChainBrokenException(
          "release record "
              + index
              + " names a policy at log index "
              + ref.logIndex()
              + " after it");
    }
    LogView.Entry policyEntry =
        log.entry(ref.logIndex(), Optional.empty(), PolicyChainBrokenException::new);
    if (!Sha256.of(policyEntry.bytes()).matches(ref.recordSha256())) {
      throw new PolicyChainBrokenException(
          "the log entry at index "
              + ref.logIndex()
              + " is not the policy record the release names (record_sha256 differs)");
    }
    LoggedPolicy policy = Records.policy(policyEntry.bytes(), ref.logIndex());
    if (!policy.product().equals(product)) {
      throw new PolicyChainBrokenException(
          "the release names the policy at log index "
              + ref.logIndex()
              + ", which is of product "
              + policy.product());
    }
    List<String> signers = PolicyChecks.verifySignOffs(record, policy, ref.logIndex(), statement);
    run.hold(
        ChainLink.SIGNOFFS,
        String.join(", ", signers)
            + " signed; threshold "
            + policy.threshold()
            + " of "
            + policy.certifiers().size()
            + " under the policy at log index "
            + ref.logIndex()
            + " (sequence "
            + policy.sequence()
            + ")");

    // A policy logged after the named one but before the release was the rule in force when the
    // release was logged (a race with a key change): the sign-offs must meet it too, and it must
    // descend from the named one.
    LoggedPolicy head = policy;
    LogView.Entry headEntry = policyEntry;
    if (newerPolicy.isPresent()) {
      headEntry =
          log.entry(newerPolicy.getAsLong(), Optional.empty(), PolicyChainBrokenException::new);
      head = Records.policy(headEntry.bytes(), headEntry.index());
      List<String> inForce =
          PolicyChecks.verifySignOffs(record, head, headEntry.index(), statement);
      run.hold(
          ChainLink.SIGNOFFS,
          String.join(", ", inForce)
              + " also meet threshold "
              + head.threshold()
              + " of the policy in force when the release was logged (log index "
              + headEntry.index()
              + ", sequence "
              + head.sequence()
              + ")");
    }
    String kinds = PolicyChecks.verifyChain(log, head, headEntry, ref.logIndex());
    run.hold(
        ChainLink.POLICY,
        head.sequence() == 1
            ? "sequence 1, the product's first policy (" + kinds + "), is logged"
            : "sequences 1 to "
                + head.sequence()
                + " are logged and every change is endorsed ("
                + kinds
                + ")");

    return new VerifiedRelease(
        record.releaseId(),
        product,
        version,
        record.artifacts(),
        targets.stream().map(TargetInfo::path).toList(),
        record.manifestSha256(),
        index,
        new VerifiedRelease.VerifiedPolicy(
            ref.logIndex(),
            policy.sequence(),
            policy.threshold(),
            policy.certifiers().stream().map(LoggedPolicy.Certifier::id).toList()),
        signers,
        log.checkpoint(),
        run.links);
  }

  // Revocation (and, on the way, a newer policy the release should have named).
  private OptionalLong checkNotRevoked(Run run, LogView log, LoggedRelease record, long index) {
    if (!scanLog) {
      run.hold(
          ChainLink.REVOCATION,
          "fresh TUF metadata still lists it (log entries after it were not scanned)");
      return OptionalLong.empty();
    }
    long policyIndex = record.policy().logIndex();
    long from = Math.min(index, policyIndex);
    long[] newer = {-1};
    long[] scanned = {0};
    log.scanAfter(
        from,
        e -> {
          Optional<JsonNode> json = Records.tryParse(e.bytes());
          String type = json.map(j -> j.path("type").asText("")).orElse("");
          if (e.index() > index
              && type.equals("revocation")
              && json.get().path("release_id").asText("").equals(record.releaseId())) {
            throw new RevokedReleaseException(
                record.releaseId(),
                e.index(),
                "the log records a revocation of release "
                    + record.releaseId()
                    + " at index "
                    + e.index()
                    + ": "
                    + json.get().path("reason").asText(""));
          }
          if (type.equals("policy")
              && e.index() > policyIndex
              && e.index() < index
              && json.get().path("statement").path("product").asText("").equals(record.product())) {
            newer[0] = e.index();
          }
          if (e.index() > index) {
            scanned[0]++;
          }
        });
    run.hold(
        ChainLink.REVOCATION,
        "fresh TUF metadata still lists it; none of the "
            + scanned[0]
            + " log entries after it revokes it");
    return newer[0] < 0 ? OptionalLong.empty() : OptionalLong.of(newer[0]);
  }

  private void refreshTuf(Run run) {
    try {
      tuf.refresh();
    } catch (TufException e) {
      throw new TufMetadataRefusedException(e.getMessage(), e);
    }
    run.hold(
        ChainLink.TUF,
        "root v"
            + tuf.trustedRoot().version()
            + " pinned; timestamp, snapshot and targets meet their thresholds, are fresh at "
            + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + " and not rolled back");
  }

  private TargetInfo resolve(String path) {
    try {
      return tuf.targetInfo(path)
          .orElseThrow(
              () ->
                  new TargetNotFoundException(
                      "fresh TUF metadata does not list "
                          + path
                          + " (never published, or revoked)"));
    } catch (TufException e) {
      throw new TufMetadataRefusedException(e.getMessage(), e);
    }
  }

  /** What a target says about its record. */
  private record Binding(long logIndex, Hash leafHash, String releaseId) {}

  private static Binding binding(List<TargetInfo> targets) {
    Binding first = null;
    for (TargetInfo t : targets) {
      Optional<JsonNode> custom = t.file().custom();
      JsonNode index = custom.map(c -> c.get("log_index")).orElse(null);
      String leaf = custom(t, "leaf_hash").orElse("");
      String releaseId = custom(t, "release_id").orElse(null);
      if (index == null
          || !index.canConvertToExactIntegral()
          || !index.canConvertToLong()
          || index.longValue() < 0
          || !HEX_HASH.matcher(leaf).matches()
          || releaseId == null) {
        throw new NotInLogException(
            "the target "
                + t.path()
                + " carries no log_index, leaf_hash and release_id: it is not bound to a log"
                + " record");
      }
      Binding b = new Binding(index.longValue(), Hash.fromHex(leaf), releaseId);
      if (first != null && !first.equals(b)) {
        throw new RecordMismatchException(
            "the targets of release " + releaseId + " name different log entries");
      }
      first = b;
    }
    return first;
  }

  private static Optional<String> custom(TargetInfo target, String field) {
    return target
        .file()
        .custom()
        .map(c -> c.get(field))
        .filter(JsonNode::isTextual)
        .map(JsonNode::textValue);
  }

  private static String describeTargets(List<TargetInfo> targets, Binding binding) {
    return String.join(", ", targets.stream().map(TargetInfo::path).toList())
        + " in role "
        + targets.get(0).topRole()
        + ": release "
        + binding.releaseId()
        + ", log index "
        + binding.logIndex();
  }

  /** The links one verification established so far. */
  private final class Run {
    final List<VerifiedLink> links = new ArrayList<>();
    private final boolean report;

    /**
     * @param report whether links go to the {@code onLink} listener (not for target searches)
     */
    Run(boolean report) {
      this.report = report;
    }

    void hold(ChainLink link, String detail) {
      VerifiedLink verified = new VerifiedLink(link, detail);
      links.add(verified);
      if (report) {
        onLink.accept(verified);
      }
    }
  }

  /** SHA-256 and size of a file, read once. */
  record FileDigest(Sha256 sha256, long size) {
    static FileDigest of(Path file) {
      MessageDigest digest = Sha256.newDigest();
      long size = 0;
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
          size += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      return new FileDigest(Sha256.fromBytes(digest.digest()), size);
    }
  }
}
