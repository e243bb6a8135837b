package dev.sluice.trust.chain;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The log signed a checkpoint that is inconsistent with the one this verifier stored: two views of
 * one log, both signed by its key. Both checkpoints are kept as evidence (see {@link #evidence()});
 * the stored one is not replaced.
 */
public final class LogForkException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  private final String stored;
  private final String offered;
  private final transient Path evidence;

  public LogForkException(String message, String stored, String offered, Path evidence) {
    super(ChainLink.CHECKPOINT, message);
    this.stored = stored;
    this.offered = offered;
    this.evidence = evidence;
  }

  /** The signed note of the checkpoint the verifier had stored. */
  public String storedCheckpoint() {
    return stored;
  }

  /** The signed note of the checkpoint that contradicts it. */
  public String offeredCheckpoint() {
    return offered;
  }

  /** The directory holding both notes, if the verifier keeps its state on disk. */
  public Optional<Path> evidence() {
    return Optional.ofNullable(evidence);
  }
}
