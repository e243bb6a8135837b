package dev.sluice.core.tlog;

/**
 * The stored log contradicts itself or a checkpoint it already signed (lost, altered or rolled-back
 * data). The sequencer stops signing rather than sign a tree that would fork the log; an operator
 * must investigate.
 */
public final class LogCorruptedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public LogCorruptedException(String message) {
    super(message);
  }
}
