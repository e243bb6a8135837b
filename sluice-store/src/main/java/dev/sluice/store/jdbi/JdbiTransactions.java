package dev.sluice.store.jdbi;

import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link Transactions} over a {@link Database}: each unit of work gets one connection, one
 * transaction and the repositories bound to it. Domain exceptions from the work propagate unchanged
 * after the rollback; database failures surface as {@link StoreException}.
 *
 * <p>Write transactions on SQLite queue for the process's writer lock ({@link
 * Database#sqliteWriter()}) and begin IMMEDIATE (taking SQLite's single write lock); on PostgreSQL
 * they run at READ COMMITTED and serialize changes to a release through {@code findForUpdate}. Read
 * transactions take no write lock: DEFERRED on SQLite (begun and ended by statements the connection
 * keeps prepared), READ ONLY at REPEATABLE READ (one snapshot) on PostgreSQL.
 */
public final class JdbiTransactions implements Transactions {
  /** How often a write that lost a deadlock or a serialization conflict is tried in all. */
  static final int ATTEMPTS = 4;

  /** PostgreSQL's deadlock_detected and serialization_failure. */
  private static final java.util.Set<String> RETRYABLE_STATES = java.util.Set.of("40P01", "40001");

  private final Database database;
  private volatile java.util.function.Consumer<AuditEvent> committedAudit = event -> {};

  public JdbiTransactions(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * Hands every audit event to {@code listener} once the transaction that appended it committed
   * (never an event that was rolled back), on the committing thread; the server logs them.
   */
  public void onCommittedAudit(java.util.function.Consumer<AuditEvent> listener) {
    this.committedAudit = Objects.requireNonNull(listener, "listener");
  }

  private void handOn(List<AuditEvent> events) {
    for (AuditEvent event : events) {
      try {
        committedAudit.accept(event);
      } catch (RuntimeException e) {
        // A listener's failure never turns a committed change into an error.
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL a transaction chosen as a deadlock's victim, or failed for serialization, is
   * rolled back whole and run again (at most {@value #ATTEMPTS} times, after a short random pause),
   * as PostgreSQL's documentation advises: two transactions that lock the same rows in different
   * orders (devices' last-seen batch and a rollout offering to devices, say) then both complete,
   * instead of one answering its client with an error. The work must therefore keep its effects
   * inside the transaction, which a unit of work does by contract.
   */
  @Override
  public <T> T write(Function<? super Repositories, T> work) {
    Objects.requireNonNull(work, "work");
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(work);
      } catch (StoreException e) {
        if (attempt >= ATTEMPTS || !retryable(e)) {
          throw e;
        }
        pauseBeforeRetry(attempt);
      }
    }
  }

  static boolean retryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && RETRYABLE_STATES.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static void pauseBeforeRetry(int attempt) {
    long bound = 10L << attempt; // 20, 40, 80 ms: spreads the retries of the two sides apart
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, bound));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while retrying a database write", e);
    }
  }

  private <T> T writeOnce(Function<? super Repositories, T> work) {
    Optional<ReentrantLock> writer = database.sqliteWriter();
    if (writer.isPresent()) {
      acquire(database, writer.get());
    }
    List<AuditEvent> audited = new ArrayList<>();
    T result;
    try (Handle handle = database.jdbi().open()) {
      result = handle.inTransaction(h -> work.apply(repositories(h, audited)));
    } catch (JdbiException e) {
      throw translate(e);
    } finally {
      writer.ifPresent(ReentrantLock::unlock);
    }
    handOn(audited);
    return result;
  }

  /** Queues for the SQLite writer lock, for as long as SQLite's own busy timeout. */
  private static void acquire(Database database, ReentrantLock writer) {
    Duration timeout = Database.sqliteBusyTimeout();
    long start = System.nanoTime();
    try {
      boolean acquired = writer.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
      database.recordWriteWait(System.nanoTime() - start);
      if (!acquired) {
        throw new StoreException(
            "database operation failed: no turn to write within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to write to the database", e);
    }
  }

  /** How one unit of a group write ended: its result, or the exception that rolled it back. */
  public record Outcome(Object result, RuntimeException failure) {}

  /**
   * Runs many units of work in one write transaction, each in its own savepoint: a unit that throws
   * is rolled back alone (its outcome carries the exception) and the others commit together.
   *
   * @throws StoreException if the transaction itself fails (then no unit committed)
   */
  public List<Outcome> writeGroup(List<? extends Function<? super Repositories, ?>> units) {
    Objects.requireNonNull(units, "units");
    Optional<ReentrantLock> writer = database.sqliteWriter();
    if (writer.isPresent()) {
      acquire(database, writer.get());
    }
    List<AuditEvent> audited = new ArrayList<>();
    List<Outcome> result;
    try (Handle handle = database.jdbi().open()) {
      result =
          handle.inTransaction(
              h -> {
                Repositories repos = repositories(h, audited);
                List<Outcome> outcomes = new ArrayList<>(units.size());
                for (Function<? super Repositories, ?> unit : units) {
                  int mark = audited.size();
                  h.savepoint("unit");
                  try {
                    Object unitResult = unit.apply(repos);
                    h.releaseSavepoint("unit");
                    outcomes.add(new Outcome(unitResult, null));
                  } catch (JdbiException e) {
                    h.rollbackToSavepoint("unit");
                    audited.subList(mark, audited.size()).clear();
                    outcomes.add(new Outcome(null, translate(e)));
                  } catch (RuntimeException e) {
                    h.rollbackToSavepoint("unit");
                    audited.subList(mark, audited.size()).clear();
                    outcomes.add(new Outcome(null, e));
                  }
                }
                return outcomes;
              });
    } catch (JdbiException e) {
      throw translate(e);
    } finally {
      writer.ifPresent(ReentrantLock::unlock);
    }
    handOn(audited);
    return result;
  }

  /** Whether this is an embedded SQLite database (one writer at a time). */
  public boolean sqlite() {
    return database.dialect() == dev.sluice.store.db.Dialect.SQLITE;
  }

  /**
   * Whether a read now would neither leave the process nor wait for a connection: the database is
   * the embedded SQLite one and its pool has an idle connection. A read on SQLite (WAL) never waits
   * for a writer; what it costs is CPU and the operating system's page cache.
   */
  public boolean readWithoutWaiting() {
    return database.dialect() == dev.sluice.store.db.Dialect.SQLITE && database.connectionIdle();
  }

  @Override
  public <T> T read(Function<? super Repositories, T> work) {
    Objects.requireNonNull(work, "work");
    try (Handle handle = database.jdbi().open()) {
      return switch (database.dialect()) {
        case SQLITE -> readOnSqlite(handle, work);
        case POSTGRESQL ->
            // One snapshot, read-only, set by the transaction's first statement (which the driver
            // sends with its BEGIN): changing the session's isolation and read-only flags instead
            // cost a round trip each way, and the pool another to reset them, on every read.
            handle.inTransaction(
                h -> {
                  h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                  return work.apply(repositories(h));
                });
      };
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /**
   * A DEFERRED transaction begun and ended with statements of its own, which the connection keeps
   * prepared like any other ({@code SqliteStatementCache}): the driver's way, {@code
   * setAutoCommit(false)}, {@code commit()} and {@code setAutoCommit(true)}, runs four statements
   * ({@code begin; commit; begin; commit;}), each parsed anew, on every read. The connection stays
   * in auto-commit mode throughout, so the pool has nothing to reset; the transaction is always
   * ended (rolled back if the work or the commit fails) before the connection goes back.
   */
  private <T> T readOnSqlite(Handle handle, Function<? super Repositories, T> work) {
    PlainQuery.execute(handle, "BEGIN DEFERRED");
    T result;
    try {
      result = work.apply(repositories(handle));
      PlainQuery.execute(handle, "COMMIT");
    } catch (RuntimeException | Error e) {
      rollBackQuietly(handle, e);
      throw e;
    }
    return result;
  }

  private static void rollBackQuietly(Handle handle, Throwable cause) {
    try {
      PlainQuery.execute(handle, "ROLLBACK");
    } catch (RuntimeException e) {
      // No transaction left to roll back (the failure ended it): nothing stays open.
      cause.addSuppressed(e);
    }
  }

  private Repositories repositories(Handle handle) {
    return new JdbiRepositories(handle, database.dialect());
  }

  private Repositories repositories(Handle handle, List<AuditEvent> audited) {
    return new JdbiRepositories(handle, database.dialect(), audited);
  }

  /** The SQL error's own message, without the statement and its arguments, which may be long. */
  private static StoreException translate(JdbiException e) {
    String reason = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        reason = sql.getMessage();
        break;
      }
    }
    return new StoreException("database operation failed: " + reason, e);
  }
}
