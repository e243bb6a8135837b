package dev.sluice.core;

import java.util.function.Function;

/**
 * Runs domain work against the repositories {@code R} in one database transaction. Everything the
 * work does commits together or not at all; an exception rolls it back and propagates unchanged.
 *
 * <p>A service asks for the narrowest set of repositories it needs (its feature's {@code …Ports}
 * interface, e.g. {@code UnitOfWork<? extends ReleasePorts>}); the store provides them all.
 *
 * @param <R> the repositories the work sees
 */
public interface UnitOfWork<R> {

  /** A read-write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE). */
  <T> T write(Function<? super R, T> work);

  /** A read-only unit of work (may see a consistent snapshot, never writes). */
  <T> T read(Function<? super R, T> work);
}
