package dev.sluice.core.port;

import java.util.function.Function;

/**
 * Runs domain work against the repositories in one database transaction. Everything the work does
 * commits together or not at all; an exception rolls it back and propagates unchanged.
 */
public interface Transactions {

  /** A read-write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE). */
  <T> T write(Function<Repositories, T> work);

  /** A read-only unit of work (may see a consistent snapshot, never writes). */
  <T> T read(Function<Repositories, T> work);
}
