package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.Hash;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A checkpoint with the signed note that carries it (C2SP tlog-checkpoint in a C2SP signed note),
 * exactly as the log serves it at {@code /log/checkpoint}. The note starts with the checkpoint
 * body, a blank line and then signature lines: the log's own, and later witness cosignatures.
 *
 * @param checkpoint the parsed body
 * @param note the whole note text, body and signature lines, each ending in a newline
 */
public record SignedCheckpoint(Checkpoint checkpoint, String note) {
  public SignedCheckpoint {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(note, "note");
    if (!note.startsWith(checkpoint.toBody() + "\n") || !note.endsWith("\n")) {
      throw new IllegalArgumentException("the note does not carry this checkpoint");
    }
  }

  /**
   * Reads a note as the log stored it; the signature is not checked here (use {@link
   * dev.sluice.trust.tlog.SignedNote#open} for that).
   *
   * @throws dev.sluice.trust.tlog.MalformedCheckpointException if its body is not a checkpoint
   */
  public static SignedCheckpoint fromNote(String note) {
    int blank = note.indexOf("\n\n");
    if (blank < 0) {
      throw new IllegalArgumentException("a signed note has a blank line before its signatures");
    }
    return new SignedCheckpoint(Checkpoint.parse(note.substring(0, blank + 1)), note);
  }

  public long size() {
    return checkpoint.size();
  }

  public Hash root() {
    return checkpoint.rootHash();
  }

  public String origin() {
    return checkpoint.origin();
  }

  public byte[] noteBytes() {
    return note.getBytes(StandardCharsets.UTF_8);
  }
}
