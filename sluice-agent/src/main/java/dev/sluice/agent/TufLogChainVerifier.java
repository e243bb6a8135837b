package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.EntryBundles;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import dev.sluice.trust.tlog.TlogException;
import dev.sluice.trust.tuf.BadVersionException;
import dev.sluice.trust.tuf.ExpiredMetadataException;
import dev.sluice.trust.tuf.LengthOrHashMismatchException;
import dev.sluice.trust.tuf.RollbackException;
import dev.sluice.trust.tuf.SignatureThresholdException;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.TufException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chain check the agent runs today, with the TUF client and the log library of {@code
 * sluice-trust}: TUF 1.0 refresh from the pinned root (threshold signatures, freshness, rollback,
 * with trusted metadata kept in the state directory) → the target's length, SHA-256 and {@code
 * custom.log_index}/{@code leaf_hash} → a checkpoint signed by the pinned log key and consistent
 * with the last one this device verified (a contradiction is kept as evidence) → the inclusion of
 * the leaf in it → the record at that leaf is a {@code release} of this product and version that
 * lists exactly this artifact, whose statement digest is rebuilt from its fields → no {@code
 * revocation} of it in the log (every tile checked against the checkpoint).
 *
 * <p>Sign-offs under the logged certification policy are the chain library's part ({@code
 * dev.sluice.trust.chain}); the lead binds {@link ChainVerifier} to it when both are merged.
 */
public final class TufLogChainVerifier implements ChainVerifier {
  private static final long MAX_JSON = 1 << 20;

  private final Clock clock;
  private final StateDir state;
  private final AgentHttp http;
  private final URI server;
  private final Consumer<String> progress;

  public TufLogChainVerifier(
      Clock clock, StateDir state, AgentHttp http, URI server, Consumer<String> progress) {
    this.clock = clock;
    this.state = state;
    this.http = http;
    this.server = server;
    this.progress = progress;
  }

  @Override
  public VerifiedTarget verify(String product, ReleaseVersion version, String file) {
    String path = product + "/" + version.value() + "/" + file;
    TufUpdater tuf =
        new TufUpdater(
            clock,
            new HttpTufRepository(http, server),
            new FileTrustedStore(state.tufDir()),
            state.pinnedRoot());
    Optional<TargetInfo> found;
    try {
      tuf.refresh();
      found = tuf.targetInfo(path);
    } catch (TufException e) {
      throw refusal(e);
    }
    progress.accept("TUF: root, timestamp, snapshot and targets verified from the pinned root");
    LogView log = verifiedLog();
    if (found.isEmpty()) {
      Optional<JsonNode> revocation = log.revocationOf(product, version.value(), -1);
      if (revocation.isPresent()) {
        throw new UpdateRefusedException(
            Refusal.REVOKED,
            path + " was revoked: " + revocation.get().path("reason").asText("(no reason)"));
      }
      throw new UpdateRefusedException(
          Refusal.NOT_PUBLISHED, "no trusted TUF targets role lists " + path);
    }
    TargetInfo target = found.get();
    progress.accept(
        "TUF: target "
            + path
            + " ("
            + target.file().length()
            + " bytes, sha256 "
            + target.file().sha256().hex()
            + ")");
    JsonNode custom =
        target
            .file()
            .custom()
            .orElseThrow(
                () -> new UpdateRefusedException(Refusal.NOT_IN_LOG, path + " has no custom"));
    long index = custom.path("log_index").asLong(-1);
    Hash leaf;
    try {
      leaf = Hash.fromHex(custom.path("leaf_hash").asText(""));
    } catch (IllegalArgumentException e) {
      throw new UpdateRefusedException(Refusal.NOT_IN_LOG, path + " names no valid leaf_hash");
    }
    if (!custom.path("log_index").canConvertToLong() || index < 0) {
      throw new UpdateRefusedException(Refusal.NOT_IN_LOG, path + " names no log index");
    }
    JsonNode record = log.includedRecord(index, leaf);
    progress.accept(
        "log: entry " + index + " is included in checkpoint of size " + log.checkpoint.size());
    VerifiedTarget verified = checkRecord(record, product, version, file, target, index);
    Optional<JsonNode> revocation = log.revocationOf(product, version.value(), index);
    if (revocation.isPresent()) {
      throw new UpdateRefusedException(
          Refusal.REVOKED,
          path + " was revoked: " + revocation.get().path("reason").asText("(no reason)"));
    }
    progress.accept("log: release record matches the target and is not revoked");
    return verified;
  }

  private VerifiedTarget checkRecord(
      JsonNode record,
      String product,
      ReleaseVersion version,
      String file,
      TargetInfo target,
      long index) {
    String type = record.path("type").asText();
    if (type.equals("revocation")) {
      throw new UpdateRefusedException(Refusal.REVOKED, "log entry " + index + " is a revocation");
    }
    if (!type.equals("release")) {
      throw new UpdateRefusedException(
          Refusal.NOT_IN_LOG, "log entry " + index + " is a '" + type + "' record, not a release");
    }
    if (!record.path("product").asText().equals(product)) {
      throw new UpdateRefusedException(
          Refusal.WRONG_PRODUCT,
          "log entry " + index + " is a release of " + record.path("product").asText());
    }
    if (!record.path("version").asText().equals(version.value())) {
      throw new UpdateRefusedException(
          Refusal.RECORD_MISMATCH,
          "log entry " + index + " is version " + record.path("version").asText());
    }
    JsonNode artifact = null;
    for (JsonNode a : record.path("artifacts")) {
      if (a.path("name").asText().equals(file)) {
        artifact = a;
      }
    }
    if (artifact == null
        || !artifact.path("sha256").asText().equals(target.file().sha256().hex())
        || artifact.path("size").asLong(-1) != target.file().length()) {
      throw new UpdateRefusedException(
          Refusal.RECORD_MISMATCH,
          "the release record does not list " + file + " with the target's digest and size");
    }
    // docs/records.md: the statement the certifiers signed, rebuilt from the record's fields.
    ObjectNode statement = JsonNodeFactory.instance.objectNode();
    statement.put("type", "sluice.release-statement/v1");
    statement.put("product", product);
    statement.put("version", version.value());
    ArrayNode artifacts = statement.putArray("artifacts");
    record.path("artifacts").forEach(artifacts::add);
    statement.set("manifest_sha256", record.path("manifest_sha256"));
    statement.set("standards", record.path("standards"));
    statement.set("report_sha256", record.path("report_sha256"));
    Sha256 rebuilt = Sha256.of(CanonicalJson.encode(statement));
    if (!rebuilt.hex().equals(record.path("statement_sha256").asText())) {
      throw new UpdateRefusedException(
          Refusal.RECORD_MISMATCH, "the statement rebuilt from the record has another digest");
    }
    Optional<Sha256> manifest;
    try {
      manifest = Optional.of(Sha256.parse(record.path("manifest_sha256").asText()));
    } catch (IllegalArgumentException e) {
      manifest = Optional.empty();
    }
    return new VerifiedTarget(
        product,
        version,
        file,
        target.file().sha256(),
        target.file().length(),
        index,
        record.path("release_id").asText(),
        manifest);
  }

  private static UpdateRefusedException refusal(TufException e) {
    Refusal r =
        switch (e) {
          case ExpiredMetadataException x -> Refusal.STALE_METADATA;
          case RollbackException x -> Refusal.STALE_METADATA;
          case BadVersionException x -> Refusal.STALE_METADATA;
          case SignatureThresholdException x -> Refusal.TOO_FEW_SIGNATURES;
          case LengthOrHashMismatchException x -> Refusal.TAMPERED;
          default -> Refusal.UNVERIFIABLE;
        };
    return new UpdateRefusedException(r, "TUF: " + e.getMessage(), e);
  }

  /** The log as a verified checkpoint shows it. */
  private LogView verifiedLog() {
    NoteVerifier key = state.logKey();
    AgentHttp.Response served = http.get(URI.create(server + "/log/checkpoint"), null, 64 * 1024);
    if (served.status() != 200) {
      throw new ServerException("GET /log/checkpoint answered " + served.status());
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.fromVerifiedNote(SignedNote.open(served.body(), key));
    } catch (TlogException e) {
      throw new UpdateRefusedException(
          Refusal.UNVERIFIABLE, "the checkpoint is not signed by the pinned log key", e);
    }
    Optional<byte[]> storedNote = state.checkpoint();
    if (storedNote.isPresent()) {
      Checkpoint stored = Checkpoint.fromVerifiedNote(SignedNote.open(storedNote.get(), key));
      try {
        checkConsistent(stored, checkpoint);
      } catch (TlogException | UpdateRefusedException e) {
        var evidence = state.keepForkEvidence(storedNote.get(), served.body(), clock.instant());
        throw new UpdateRefusedException(
            Refusal.LOG_FORK,
            "the log's checkpoint (size "
                + checkpoint.size()
                + ") contradicts the one this device verified (size "
                + stored.size()
                + "); both kept in "
                + evidence,
            e);
      }
      progress.accept(
          "log: checkpoint consistent with the last one seen (size " + stored.size() + ")");
    }
    state.storeCheckpoint(served.body());
    return new LogView(checkpoint);
  }

  private void checkConsistent(Checkpoint stored, Checkpoint served) {
    if (served.size() < stored.size()) {
      throw new UpdateRefusedException(Refusal.LOG_FORK, "the log shrank");
    }
    List<Hash> proof =
        served.size() == stored.size() || stored.size() == 0
            ? List.of()
            : hashes(
                "/log/v1/consistency?old_size=" + stored.size() + "&tree_size=" + served.size());
    ConsistencyProofs.verify(
        stored.size(), served.size(), stored.rootHash(), served.rootHash(), proof);
  }

  private List<Hash> hashes(String path) {
    AgentHttp.Response r = http.get(URI.create(server + path), null, MAX_JSON);
    if (r.status() != 200) {
      throw new ServerException("GET " + path + " answered " + r.status(), r.status(), null);
    }
    List<Hash> out = new ArrayList<>();
    try {
      for (JsonNode h : WireJson.MAPPER.readTree(r.body()).path("hashes")) {
        out.add(Hash.fromBase64(h.asText()));
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new ServerException("GET " + path + " answered a malformed proof", r.status(), e);
    }
    return out;
  }

  private byte[] tile(String path) {
    AgentHttp.Response r = http.get(URI.create(server + "/log/" + path), null, 16 << 20);
    if (r.status() != 200) {
      throw new ServerException("GET /log/" + path + " answered " + r.status(), r.status(), null);
    }
    return r.body();
  }

  private final class LogView {
    final Checkpoint checkpoint;
    private TileHashReader tiles;

    LogView(Checkpoint checkpoint) {
      this.checkpoint = checkpoint;
    }

    /** The record at {@code index}, once its leaf is proven included in the checkpoint. */
    JsonNode includedRecord(long index, Hash leaf) {
      if (index >= checkpoint.size()) {
        throw new UpdateRefusedException(
            Refusal.NOT_IN_LOG,
            "log index " + index + " is beyond the checkpoint's " + checkpoint.size() + " entries");
      }
      List<Hash> proof =
          hashes("/log/v1/inclusion?index=" + index + "&tree_size=" + checkpoint.size());
      try {
        InclusionProofs.verify(index, checkpoint.size(), leaf, proof, checkpoint.rootHash());
      } catch (TlogException e) {
        throw new UpdateRefusedException(
            Refusal.NOT_IN_LOG, "the target's leaf is not included at index " + index, e);
      }
      byte[] entry = entries(index / Tiles.WIDTH).get((int) (index % Tiles.WIDTH));
      if (!MerkleHash.leaf(entry).equals(leaf)) {
        throw new UpdateRefusedException(
            Refusal.NOT_IN_LOG, "the entry served at index " + index + " is not the logged one");
      }
      return parseRecord(entry, index);
    }

    /** A revocation of the release after entry {@code after}, from tiles verified whole. */
    Optional<JsonNode> revocationOf(String product, String version, long after) {
      if (checkpoint.size() == 0) {
        return Optional.empty();
      }
      try {
        if (tiles == null) {
          tiles =
              TileAudit.verifyHashTiles(
                  checkpoint.size(), checkpoint.rootHash(), TufLogChainVerifier.this::tile);
        }
        long first = Math.max(0, after + 1) / Tiles.WIDTH;
        for (EntryBundleId bundle : Tiles.entryBundles(checkpoint.size())) {
          if (bundle.index() < first) {
            continue;
          }
          List<byte[]> entries = TileAudit.verifyEntryBundle(bundle, tile(bundle.path()), tiles);
          for (int i = 0; i < entries.size(); i++) {
            long index = bundle.index() * Tiles.WIDTH + i;
            if (index <= after) {
              continue;
            }
            JsonNode record = parseRecord(entries.get(i), index);
            if (record.path("type").asText().equals("revocation")
                && record.path("product").asText().equals(product)
                && record.path("version").asText().equals(version)) {
              return Optional.of(record);
            }
          }
        }
      } catch (TlogException e) {
        throw new UpdateRefusedException(
            Refusal.UNVERIFIABLE, "the log's tiles do not match its checkpoint", e);
      }
      return Optional.empty();
    }

    private List<byte[]> entries(long bundle) {
      long size = checkpoint.size();
      int width = (int) Math.min(Tiles.WIDTH, size - bundle * Tiles.WIDTH);
      EntryBundleId id = new EntryBundleId(bundle, width == Tiles.WIDTH ? Tiles.WIDTH : width);
      try {
        return EntryBundles.decode(tile(id.path()));
      } catch (TlogException e) {
        throw new UpdateRefusedException(Refusal.NOT_IN_LOG, "malformed entry bundle", e);
      }
    }

    private JsonNode parseRecord(byte[] entry, long index) {
      try {
        return CanonicalJson.parse(entry);
      } catch (RuntimeException e) {
        throw new UpdateRefusedException(
            Refusal.RECORD_MISMATCH, "log entry " + index + " is not a JSON record", e);
      }
    }
  }
}
