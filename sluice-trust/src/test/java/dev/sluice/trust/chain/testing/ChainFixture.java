package dev.sluice.trust.chain.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.chain.ChainSource;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.EntryBundles;
import dev.sluice.trust.tlog.HashTileId;
import dev.sluice.trust.tlog.HashTiles;
import dev.sluice.trust.tlog.InMemoryHashReader;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.NoteSigner;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileId;
import dev.sluice.trust.tlog.Tiles;
import dev.sluice.trust.tuf.RemoteRepository;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.Delegation;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import dev.sluice.trust.tuf.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole Sluice trust chain built in code and served as a {@link ChainSource}: a TUF repository
 * (root 2-of-3, online targets, snapshot and timestamp keys, one delegated role per product for
 * {@code <product>/*}{@code /*}), a transparency log with tiles and a signed checkpoint, certifiers
 * with keys, and policy and release records written exactly as docs/records.md specifies. Tests
 * play the attacker by writing records, targets and metadata the honest server never would.
 */
public final class ChainFixture implements ChainSource {
  public static final Instant START = Instant.parse("2026-12-07T08:00:00Z");
  public static final String LOG_NAME = "log.sluice.test";

  public final TestClock clock;
  public final RepositoryBuilder builder;
  public final NoteSigner logSigner = NoteSigner.generate(LOG_NAME);

  public final List<SigningKey> rootKeys = TestKeys.generate(KeyScheme.ED25519, 3);
  public final SigningKey targetsKey = TestKeys.ed25519();
  public final SigningKey snapshotKey = TestKeys.ed25519();
  public SigningKey timestampKey = TestKeys.ed25519();
  public final Map<String, SigningKey> productKeys = new LinkedHashMap<>();
  public final Map<String, Certifier> certifiers = new TreeMap<>();

  public Metadata<Root> root;
  private final Map<String, Map<String, TargetFile>> roleTargets = new TreeMap<>();
  private final Map<String, Long> roleVersions = new HashMap<>();
  private long targetsVersion;
  private long snapshotVersion;
  private long timestampVersion;
  private final Map<String, byte[]> metadataFiles = new HashMap<>();
  private final Map<String, byte[]> targetFiles = new HashMap<>();

  private List<byte[]> entries = new ArrayList<>();
  private InMemoryHashReader tree = new InMemoryHashReader();
  private final Map<String, Long> policyHeads = new HashMap<>();
  private final AtomicInteger releaseIds = new AtomicInteger();

  /** A certifier: id, key-set version, keys. */
  public static final class Certifier {
    public final String id;
    public long version = 1;
    public final List<SigningKey> keys = new ArrayList<>();

    Certifier(String id) {
      this.id = id;
      keys.add(TestKeys.ed25519());
    }
  }

  /** A published release: its id, record index and artifacts. */
  public record Published(
      String releaseId, String product, String version, long index, Map<String, byte[]> files) {}

  public ChainFixture(String... products) {
    this(START, products);
  }

  /**
   * A fixture whose metadata is signed at {@code start}: tests of code that reads the system clock
   * (the CLI) pass {@code Instant.now()}.
   */
  public ChainFixture(Instant start, String... products) {
    clock = new TestClock(start);
    builder = new RepositoryBuilder(clock, RepositoryBuilder.Expiry.defaults());
    for (String p : products) {
      productKeys.put(p, TestKeys.ed25519());
      roleTargets.put(p, new TreeMap<>());
    }
    root =
        RepositoryBuilder.signRoot(
            builder.root(
                1,
                RoleKeySet.of(2, rootKeys),
                RoleKeySet.of(1, List.of(targetsKey)),
                RoleKeySet.of(1, List.of(snapshotKey)),
                RoleKeySet.of(1, List.of(timestampKey))),
            rootKeys.subList(0, 2));
    metadataFiles.put(TufLayout.rootFile(1), root.toBytes());
    publishTuf();
  }

  /** The pinned root a verifier ships with. */
  public byte[] rootJson() {
    return root.toBytes();
  }

  /** The log's verifier key as text. */
  public String logKey() {
    return logSigner.verifier().vkey();
  }

  // ---------------------------------------------------------------- certifiers and policies

  public Certifier certifier(String id) {
    return certifiers.computeIfAbsent(id, Certifier::new);
  }

  /** The TUF key object of a key. */
  public static ObjectNode keyJson(SigningKey key) {
    return key.verificationKey().toTufJson();
  }

  /** A certifier entry of a policy statement, from its current state. */
  public ObjectNode certifierJson(String id) {
    Certifier c = certifier(id);
    return certifierJson(id, c.version, c.keys);
  }

  public static ObjectNode certifierJson(String id, long version, List<SigningKey> keys) {
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    json.put("id", id);
    json.put("version", version);
    ArrayNode array = json.putArray("keys");
    keys.stream()
        .sorted(java.util.Comparator.comparing(SigningKey::keyId))
        .forEach(k -> array.addObject().put("key_id", k.keyId()).set("key", keyJson(k)));
    return json;
  }

  /** A policy statement following the product's current head (or sequence 1). */
  public ObjectNode statement(
      String product, int threshold, List<ObjectNode> certifierJsons, ObjectNode change) {
    ObjectNode s = CanonicalJson.mapper().createObjectNode();
    s.put("type", "sluice.policy-statement/v1");
    s.put("product", product);
    Long head = policyHeads.get(product);
    if (head == null) {
      s.put("sequence", 1);
      s.putNull("previous");
    } else {
      s.put("sequence", policyStatement(head).path("sequence").asLong() + 1);
      s.putObject("previous")
          .put("log_index", head)
          .put("record_sha256", Sha256.of(entries.get(head.intValue())).hex());
    }
    s.put("threshold", threshold);
    ArrayNode list = s.putArray("certifiers");
    certifierJsons.stream()
        .sorted(java.util.Comparator.comparing(c -> c.path("id").asText()))
        .forEach(list::add);
    s.set("change", change);
    return s;
  }

  public static ObjectNode change(String kind) {
    return CanonicalJson.mapper().createObjectNode().put("kind", kind);
  }

  public static ObjectNode keyChange(String kind, String certifier, String keyId) {
    return change(kind).put("certifier", certifier).put("key_id", keyId);
  }

  /** An endorsement of a policy statement by a certifier's key. */
  public static ObjectNode endorsePolicy(String certifier, SigningKey key, ObjectNode statement) {
    return endorsement(certifier, key, "policy", CanonicalJson.encode(statement));
  }

  /** The key change bytes of docs/records.md, signed. */
  public static ObjectNode endorseKeyChange(
      String certifier, SigningKey signer, String action, SigningKey changed, long version) {
    ObjectNode change = CanonicalJson.mapper().createObjectNode();
    change.put("type", "sluice.certifier-key-change/v1");
    change.put("certifier", certifier);
    change.put("action", action);
    change.set("key", keyJson(changed));
    change.put("version", version);
    return endorsement(certifier, signer, "key-change", CanonicalJson.encode(change));
  }

  private static ObjectNode endorsement(
      String certifier, SigningKey key, String signs, byte[] message) {
    return CanonicalJson.mapper()
        .createObjectNode()
        .put("certifier", certifier)
        .put("key_id", key.keyId())
        .put("signs", signs)
        .put("signature", Base64.getEncoder().encodeToString(key.sign(message)));
  }

  /** Appends a policy record for the statement; it becomes the product's head. */
  public long appendPolicy(ObjectNode statement, List<ObjectNode> endorsements) {
    ObjectNode record = CanonicalJson.mapper().createObjectNode();
    record.put("format", "sluice.policy-record/v1");
    record.put("type", "policy");
    record.set("statement", statement);
    record.put("statement_sha256", Sha256.of(CanonicalJson.encode(statement)).hex());
    ArrayNode array = record.putArray("endorsements");
    endorsements.forEach(array::add);
    record.put("time", clock.instant().toString());
    long index = append(CanonicalJson.encode(record));
    policyHeads.put(statement.path("product").asText(), index);
    return index;
  }

  /** The first policy of a product: {@code threshold} of these certifiers. */
  public long createProduct(String product, int threshold, String... ids) {
    return appendPolicy(
        statement(product, threshold, jsons(ids), change("product-created")), List.of());
  }

  /** A policy-changed record endorsed by the given certifiers' first keys. */
  public long changePolicy(String product, int threshold, List<String> ids, List<String> by) {
    ObjectNode s =
        statement(product, threshold, jsons(ids.toArray(String[]::new)), change("policy-changed"));
    List<ObjectNode> endorsements =
        by.stream().map(c -> endorsePolicy(c, certifier(c).keys.get(0), s)).toList();
    return appendPolicy(s, endorsements);
  }

  /** Adds a key to a certifier, endorsed by its first key, in the product's policy. */
  public long addKey(String product, String id, SigningKey key) {
    Certifier c = certifier(id);
    SigningKey endorser = c.keys.get(0);
    c.version++;
    c.keys.add(key);
    ObjectNode s =
        statement(
            product,
            currentThreshold(product),
            currentCertifiers(product),
            keyChange("key-added", id, key.keyId()));
    return appendPolicy(s, List.of(endorseKeyChange(id, endorser, "add", key, c.version)));
  }

  /** Revokes a certifier's key, endorsed by that key itself. */
  public long revokeKey(String product, String id, SigningKey key) {
    Certifier c = certifier(id);
    c.version++;
    c.keys.remove(key);
    ObjectNode s =
        statement(
            product,
            currentThreshold(product),
            currentCertifiers(product),
            keyChange("key-revoked", id, key.keyId()));
    return appendPolicy(s, List.of(endorseKeyChange(id, key, "revoke", key, c.version)));
  }

  public int currentThreshold(String product) {
    return policyStatement(policyHeads.get(product)).path("threshold").asInt();
  }

  /** The certifiers of the product's head policy, rebuilt from their current state. */
  public List<ObjectNode> currentCertifiers(String product) {
    List<ObjectNode> list = new ArrayList<>();
    policyStatement(policyHeads.get(product))
        .path("certifiers")
        .forEach(c -> list.add(certifierJson(c.path("id").asText())));
    return list;
  }

  public long policyHead(String product) {
    return policyHeads.get(product);
  }

  private ObjectNode policyStatement(long index) {
    return (ObjectNode) CanonicalJson.parse(entries.get((int) index)).path("statement");
  }

  private List<ObjectNode> jsons(String... ids) {
    List<ObjectNode> list = new ArrayList<>();
    for (String id : ids) {
      list.add(certifierJson(id));
    }
    return list;
  }

  // ---------------------------------------------------------------- releases

  /** A v2 release record signed by these certifiers' first keys, naming the product's head. */
  public ObjectNode releaseRecord(
      String product, String version, Map<String, byte[]> files, List<String> signers) {
    ObjectNode record = CanonicalJson.mapper().createObjectNode();
    record.put("format", "sluice.release-record/v2");
    record.put("type", "release");
    record.put("release_id", "01JREL" + String.format("%020d", releaseIds.incrementAndGet()));
    record.put("product", product);
    record.put("version", version);
    ArrayNode artifacts = record.putArray("artifacts");
    new TreeMap<>(files)
        .forEach(
            (name, bytes) ->
                artifacts
                    .addObject()
                    .put("name", name)
                    .put("sha256", Sha256.of(bytes).hex())
                    .put("size", bytes.length));
    record.put("manifest_sha256", Sha256.of(("manifest " + version).getBytes()).hex());
    record.putObject("standards").put("id", "sluice-default").put("version", 1);
    record.put("report_sha256", Sha256.of(("report " + version).getBytes()).hex());
    long head = policyHeads.get(product);
    record
        .putObject("policy")
        .put("log_index", head)
        .put("record_sha256", Sha256.of(entries.get((int) head)).hex());
    resign(record, signers.stream().map(c -> Map.entry(c, certifier(c).keys.get(0))).toList());
    record.put("time", clock.instant().toString());
    return record;
  }

  /** Recomputes statement_sha256 and replaces the sign-offs with these (certifier, key). */
  public static void resign(ObjectNode record, List<Map.Entry<String, SigningKey>> signers) {
    byte[] statement = statementBytes(record);
    record.put("statement_sha256", Sha256.of(statement).hex());
    ArrayNode signoffs = record.putArray("signoffs");
    for (Map.Entry<String, SigningKey> s : signers) {
      signoffs
          .addObject()
          .put("certifier", s.getKey())
          .put("key_id", s.getValue().keyId())
          .put("signature", Base64.getEncoder().encodeToString(s.getValue().sign(statement)));
    }
  }

  /** The release statement of docs/records.md, rebuilt from a record independently. */
  public static byte[] statementBytes(ObjectNode record) {
    ObjectNode s = CanonicalJson.mapper().createObjectNode();
    s.put("type", "sluice.release-statement/v1");
    for (String f :
        List.of(
            "product", "version", "artifacts", "manifest_sha256", "standards", "report_sha256")) {
      s.set(f, record.get(f).deepCopy());
    }
    return CanonicalJson.encode(s);
  }

  /** Appends a release record and publishes its artifacts as TUF targets pointing at it. */
  public Published publish(ObjectNode record, Map<String, byte[]> files) {
    long index = append(CanonicalJson.encode(record));
    String product = record.path("product").asText();
    String version = record.path("version").asText();
    String releaseId = record.path("release_id").asText();
    addTargets(product, product, version, releaseId, index, files);
    return new Published(releaseId, product, version, index, files);
  }

  /** A certified release with the given signers, logged and in TUF. */
  public Published publish(
      String product, String version, Map<String, byte[]> files, String... signers) {
    return publish(releaseRecord(product, version, files, List.of(signers)), files);
  }

  /** Lists targets in {@code role} for the files, bound to the log entry at {@code index}. */
  public void addTargets(
      String role,
      String product,
      String version,
      String releaseId,
      long index,
      Map<String, byte[]> files) {
    files.forEach(
        (name, bytes) -> {
          ObjectNode custom = CanonicalJson.mapper().createObjectNode();
          custom.put("release_id", releaseId);
          custom.put("version", version);
          custom.put("log_index", index);
          custom.put(
              "leaf_hash",
              index < entries.size()
                  ? MerkleHash.leaf(entries.get((int) index)).hex()
                  : "00".repeat(32));
          TargetFile file = TargetFile.of(bytes, custom);
          String path = product + "/" + version + "/" + name;
          roleTargets.get(role).put(path, file);
          targetFiles.put(TufLayout.targetFile(path, file.sha256(), true), bytes.clone());
        });
    publishTuf();
  }

  /** Removes the targets of a release from TUF, as revocation does. */
  public void removeTargets(String product, String version) {
    roleTargets.get(product).keySet().removeIf(p -> p.startsWith(product + "/" + version + "/"));
    publishTuf();
  }

  /** Removes one target from TUF, leaving the release's others. */
  public void removeTarget(String product, String version, String name) {
    roleTargets.get(product).remove(product + "/" + version + "/" + name);
    publishTuf();
  }

  /** A revocation record of a published release, appended to the log. */
  public long revoke(Published release, String reason) {
    ObjectNode record =
        (ObjectNode) CanonicalJson.parse(entries.get((int) release.index())).deepCopy();
    record.put("type", "revocation");
    record.put("reason", reason);
    record.put("time", clock.instant().toString());
    return append(CanonicalJson.encode(record));
  }

  // ---------------------------------------------------------------- log

  public long append(byte[] entry) {
    entries.add(entry.clone());
    return tree.appendEntry(entry);
  }

  public byte[] entry(long index) {
    return entries.get((int) index).clone();
  }

  public long logSize() {
    return entries.size();
  }

  /** Rewrites history: keeps the first {@code keep} entries, then appends different ones. */
  public void fork(int keep, byte[]... newEntries) {
    List<byte[]> old = entries;
    entries = new ArrayList<>();
    tree = new InMemoryHashReader();
    old.subList(0, keep).forEach(this::append);
    for (byte[] e : newEntries) {
      append(e);
    }
  }

  public byte[] signedCheckpoint() {
    Checkpoint c = new Checkpoint(LOG_NAME, tree.size(), tree.root());
    return SignedNote.sign(c.toBody(), logSigner).getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- TUF

  /** Signs and serves new versions of every targets role, snapshot and timestamp. */
  public void publishTuf() {
    List<Delegation> delegations =
        productKeys.entrySet().stream()
            .map(
                e ->
                    new Delegation(
                        e.getKey(),
                        RoleKeySet.of(1, List.of(e.getValue())),
                        TargetPaths.patterns(e.getKey() + "/*/*"),
                        true))
            .toList();
    Metadata<Targets> targets =
        RepositoryBuilder.sign(
            builder.targets(++targetsVersion, Map.of(), delegations),
            "targets",
            root.signed(),
            List.of(targetsKey));
    serveMetadata("targets", targets);
    Map<String, Metadata<Targets>> delegated = new TreeMap<>();
    for (String product : productKeys.keySet()) {
      long version = roleVersions.merge(product, 1L, Long::sum);
      Metadata<Targets> md =
          RepositoryBuilder.sign(
              builder.targets(version, roleTargets.get(product), List.of()),
              product,
              targets.signed(),
              List.of(productKeys.get(product)));
      delegated.put(product, md);
      serveMetadata(product, md);
    }
    Metadata<Snapshot> snapshot =
        RepositoryBuilder.sign(
            builder.snapshot(++snapshotVersion, targets, delegated),
            "snapshot",
            root.signed(),
            List.of(snapshotKey));
    serveMetadata("snapshot", snapshot);
    publishTimestamp(builder.timestamp(++timestampVersion, snapshot), List.of(timestampKey));
  }

  /** Serves a timestamp signed by these keys (which may not meet the threshold: an attack). */
  public void publishTimestamp(Timestamp timestamp, List<SigningKey> keys) {
    Metadata<Timestamp> md = Metadata.sign(timestamp, keys);
    metadataFiles.put(TufLayout.TIMESTAMP_JSON, md.toBytes());
  }

  public byte[] metadata(String fileName) {
    return metadataFiles.get(fileName).clone();
  }

  /** Replaces a served metadata file, as an attacker on the path would. */
  public void serve(String fileName, byte[] bytes) {
    metadataFiles.put(fileName, bytes.clone());
  }

  private void serveMetadata(String role, Metadata<?> md) {
    metadataFiles.put(TufLayout.metadataFile(role, md.signed().version(), true), md.toBytes());
  }

  /** Replaces a served target file's bytes (a tampered download). */
  public void tamperTarget(String product, String version, String name, byte[] bytes) {
    TargetFile file = roleTargets.get(product).get(product + "/" + version + "/" + name);
    targetFiles.put(
        TufLayout.targetFile(product + "/" + version + "/" + name, file.sha256(), true), bytes);
  }

  public RoleType timestampRole() {
    return RoleType.TIMESTAMP;
  }

  // ---------------------------------------------------------------- ChainSource

  @Override
  public RemoteRepository tuf() {
    return new RemoteRepository() {
      @Override
      public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
        return Optional.ofNullable(metadataFiles.get(fileName)).map(byte[]::clone);
      }

      @Override
      public byte[] fetchTarget(String fileName, long length) {
        byte[] bytes = targetFiles.get(fileName);
        if (bytes == null) {
          throw new IllegalStateException("404 targets/" + fileName);
        }
        return bytes.clone();
      }
    };
  }

  @Override
  public byte[] checkpoint() {
    return signedCheckpoint();
  }

  /** Serves a tile of the current tree (entries and hashes), as a tlog-tiles server. */
  @Override
  public byte[] tile(String path) {
    TileId id = Tiles.parsePath(path);
    return switch (id) {
      case HashTileId h -> HashTiles.read(h, tree);
      case EntryBundleId e -> {
        int first = (int) (e.index() * Tiles.WIDTH);
        yield EntryBundles.encode(entries.subList(first, first + e.width()));
      }
    };
  }

  /** The TUF target file bytes by their served name, for an HTTP server. */
  public Optional<byte[]> targetFile(String name) {
    return Optional.ofNullable(targetFiles.get(name)).map(byte[]::clone);
  }

  /** Every served TUF metadata file by name, for an HTTP server or a directory. */
  public Map<String, byte[]> metadataFiles() {
    return Map.copyOf(metadataFiles);
  }

  @Override
  public String describe() {
    return "fixture";
  }
}
