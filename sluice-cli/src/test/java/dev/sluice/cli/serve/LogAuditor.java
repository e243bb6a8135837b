package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server's public transparency log read as an auditor reads it, for the process-level tests:
 * checkpoints opened with the log's key, entries read from tiles verified against the checkpoint's
 * root, and checkpoints seen earlier proved consistent with a later one.
 */
final class LogAuditor {
  private final Http http;
  private final NoteVerifier vkey;

  /** Reads the log key from {@code /log/v1/key} of the server {@code http} talks to. */
  LogAuditor(Http http) {
    this.http = http;
    this.vkey = NoteVerifier.parse(http.get("/log/v1/key", null).text().strip());
  }

  /** The signed note {@code /log/checkpoint} serves now, as bytes. */
  byte[] checkpointNote() {
    Http.Response r = http.get("/log/checkpoint", null);
    assertThat(r.status()).as("/log/checkpoint: %s", r.text()).isEqualTo(200);
    return r.body();
  }

  /** The checkpoint served now, its signature verified. */
  Checkpoint checkpoint() {
    return open(checkpointNote());
  }

  /** A signed note opened with the log's key. */
  Checkpoint open(byte[] note) {
    return Checkpoint.fromVerifiedNote(SignedNote.open(note, vkey));
  }

  /** Every entry under {@code checkpoint}, parsed, in log order; each tile is verified. */
  List<JsonNode> records(Checkpoint checkpoint) {
    List<JsonNode> records = new ArrayList<>();
    if (checkpoint.size() == 0) {
      return records;
    }
    TileHashReader tiles =
        TileAudit.verifyHashTiles(checkpoint.size(), checkpoint.rootHash(), this::tile);
    for (EntryBundleId bundle : Tiles.entryBundles(checkpoint.size())) {
      for (byte[] entry : TileAudit.verifyEntryBundle(bundle, tile(bundle.path()), tiles)) {
        records.add(CanonicalJson.parse(entry));
      }
    }
    return records;
  }

  /** The release ids of the release records under the current checkpoint; none is there twice. */
  Set<String> releaseIds() {
    Set<String> ids = new HashSet<>();
    for (JsonNode record : records(checkpoint())) {
      if (record.get("type").asText().equals("release")) {
        String id = record.get("release_id").asText();
        assertThat(ids.add(id)).as("release %s is logged once", id).isTrue();
      }
    }
    return ids;
  }

  /**
   * Every note of {@code seen} is signed by the log and consistent with {@code latest}, proved with
   * {@code /log/v1/consistency}; and no two of them name different roots for one size (a fork).
   */
  void assertConsistent(Collection<byte[]> seen, Checkpoint latest) {
    Map<Long, Hash> rootBySize = new HashMap<>();
    for (byte[] note : seen) {
      Checkpoint old = open(note);
      Hash earlier = rootBySize.putIfAbsent(old.size(), old.rootHash());
      assertThat(earlier == null || earlier.equals(old.rootHash()))
          .as("two checkpoints of size %d name different roots", old.size())
          .isTrue();
      List<Hash> proof = new ArrayList<>();
      if (old.size() > 0 && old.size() < latest.size()) {
        Http.Response r =
            http.get(
                "/log/v1/consistency?old_size=" + old.size() + "&tree_size=" + latest.size(), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        r.json().get("hashes").forEach(h -> proof.add(Hash.fromBase64(h.asText())));
      }
      ConsistencyProofs.verify(old.size(), latest.size(), old.rootHash(), latest.rootHash(), proof);
    }
  }

  private byte[] tile(String path) {
    Http.Response r = http.get("/log/" + path, null);
    assertThat(r.status()).as(path).isEqualTo(200);
    return r.body();
  }
}
