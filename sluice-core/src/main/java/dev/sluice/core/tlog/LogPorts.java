package dev.sluice.core.tlog;

/**
 * The transparency log's storage inside one transaction. Implemented by the store; services declare
 * the narrowest of these they need.
 */
public interface LogPorts {
  /** The log's entries, tree hashes and checkpoints. */
  LogStorage log();
}
