package dev.sluice.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.output.AtomicFiles;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.json.MalformedJsonException;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.ConsistencyProofs;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.MerkleTree;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import dev.sluice.trust.tlog.TlogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code sluice log verify} does, step by step: a tlog-tiles auditor. Every check that fails
 * throws {@link CommandFailedException} naming what did not hold and where; the state file is
 * replaced (atomically) only after every check passed.
 */
final class LogAudit {
  private final SluiceClient client;
  private final NoteVerifier verifier;

  LogAudit(SluiceClient client, NoteVerifier verifier) {
    this.client = client;
    this.verifier = verifier;
  }

  /** The verified checkpoint and what it was compared with. */
  record Result(Checkpoint checkpoint, Optional<Saved> previous, long entries) {
    String summary() {
      StringBuilder out = new StringBuilder();
      out.append("OK: log ")
          .append(checkpoint.origin())
          .append(" at size ")
          .append(checkpoint.size())
          .append(", root ")
          .append(checkpoint.rootHash().base64())
          .append('\n');
      out.append("    signature verified; ")
          .append(entries)
          .append(" entries and every tile reproduce the root");
      previous.ifPresent(
          p -> out.append("\n    consistent with the saved checkpoint of size ").append(p.size()));
      return out.toString();
    }
  }

  /** The checkpoint saved by the previous successful run. */
  record Saved(String origin, long size, Hash root, String note) {}

  Result run(Optional<Path> stateFile) {
    Optional<Saved> saved = stateFile.flatMap(LogAudit::readState);
    byte[] note = client.logCheckpoint();
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.fromVerifiedNote(SignedNote.open(note, verifier));
    } catch (TlogException e) {
      throw failed(
          "the checkpoint from "
              + client.server()
              + "/log/checkpoint is not validly signed by "
              + verifier.name()
              + "+"
              + String.format("%08x", verifier.keyId())
              + ": "
              + e.getMessage());
    }
    if (!checkpoint.origin().equals(verifier.name())) {
      throw failed(
          "the checkpoint's origin '"
              + checkpoint.origin()
              + "' is not the key's name '"
              + verifier.name()
              + "'");
    }
    TileHashReader tiles;
    long entries = 0;
    try {
      tiles = TileAudit.verifyHashTiles(checkpoint.size(), checkpoint.rootHash(), client::logTile);
      for (EntryBundleId bundle : Tiles.entryBundles(checkpoint.size())) {
        entries += TileAudit.verifyEntryBundle(bundle, client.logTile(bundle.path()), tiles).size();
      }
    } catch (TlogException e) {
      throw failed(
          "the log's tiles do not match its signed checkpoint (size "
              + checkpoint.size()
              + "): "
              + e.getMessage());
    }
    if (saved.isPresent()) {
      checkConsistency(saved.get(), checkpoint, tiles);
    }
    stateFile.ifPresent(
        file -> writeState(file, checkpoint, new String(note, StandardCharsets.UTF_8)));
    return new Result(checkpoint, saved, entries);
  }

  private void checkConsistency(Saved saved, Checkpoint checkpoint, TileHashReader tiles) {
    if (!saved.origin().equals(checkpoint.origin())) {
      throw failed(
          "the saved state is for the log '"
              + saved.origin()
              + "', not '"
              + checkpoint.origin()
              + "'");
    }
    if (saved.size() > checkpoint.size()) {
      throw failed(
          "the log shrank: the saved checkpoint has size "
              + saved.size()
              + " but the log now signs size "
              + checkpoint.size()
              + " (a rollback or a fork)");
    }
    // The tiles were verified against the new root, so the old tree they contain is the one the
    // log now claims; it must be the tree the log signed before.
    Hash oldRoot = MerkleTree.root(saved.size(), tiles);
    if (!oldRoot.equals(saved.root())) {
      throw failed(
          "FORK: the saved checkpoint of size "
              + saved.size()
              + " has root "
              + saved.root().base64()
              + " but the log's tree of that size now has root "
              + oldRoot.base64()
              + "; both are signed by "
              + checkpoint.origin());
    }
    if (saved.size() > 0 && saved.size() < checkpoint.size()) {
      JsonNode proof = client.logConsistency(saved.size(), checkpoint.size());
      List<Hash> hashes = new ArrayList<>();
      try {
        proof.path("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asText())));
        ConsistencyProofs.verify(
            saved.size(), checkpoint.size(), saved.root(), checkpoint.rootHash(), hashes);
      } catch (TlogException | IllegalArgumentException e) {
        throw failed(
            "the server's consistency proof from size "
                + saved.size()
                + " to "
                + checkpoint.size()
                + " does not verify: "
                + e.getMessage());
      }
    }
  }

  private static Optional<Saved> readState(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Saved saved;
    try {
      JsonNode json = CanonicalJson.parse(bytes);
      String note = json.path("checkpoint").asText("");
      Checkpoint signed = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
      saved =
          new Saved(
              json.path("origin").asText(),
              json.path("tree_size").asLong(-1),
              Hash.fromBase64(json.path("root_hash").asText()),
              note);
      if (saved.size() != signed.size() || !saved.root().equals(signed.rootHash())) {
        throw failed(file + " contradicts the checkpoint it holds (edited by hand?)");
      }
    } catch (MalformedJsonException | TlogException | IllegalArgumentException e) {
      throw failed(file + " is not a state file written by 'sluice log verify': " + e.getMessage());
    }
    return Optional.of(saved);
  }

  /** Writes the state next to its final place, syncs it, and renames it over the old one. */
  private static void writeState(Path file, Checkpoint checkpoint, String note) {
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    json.put("origin", checkpoint.origin());
    json.put("tree_size", checkpoint.size());
    json.put("root_hash", checkpoint.rootHash().base64());
    json.put("checkpoint", note);
    byte[] bytes = (json.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, bytes);
  }

  private static CommandFailedException failed(String what) {
    return new CommandFailedException("log verification FAILED: " + what);
  }
}
