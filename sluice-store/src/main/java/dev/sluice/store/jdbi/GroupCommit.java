package dev.sluice.store.jdbi;

import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Small write transactions from many callers (devices' feedback and attributes) committed together.
 * On SQLite, which has one writer and an fsync per commit, one writer thread takes every unit of
 * work queued meanwhile (up to {@link #MAX_GROUP}) and runs them in one transaction, each in its
 * own savepoint ({@link JdbiTransactions#writeGroup}): a unit that fails is rolled back alone and
 * its caller gets its exception; the others commit at once. Each caller returns only after the
 * commit that holds its work. A burst of thousands of devices' writes thus costs a few commits
 * instead of thousands of fsyncs queued for the write lock. On PostgreSQL every write is its own
 * transaction. Reads go straight to the database.
 */
public final class GroupCommit implements Transactions, AutoCloseable {
  /** At most this many units share one transaction. */
  public static final int MAX_GROUP = 256;

  private record Unit(Function<? super Repositories, ?> work, CompletableFuture<Object> done) {}

  private final JdbiTransactions transactions;
  private final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  public GroupCommit(JdbiTransactions transactions) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.writer =
        transactions.sqlite()
            ? Thread.ofPlatform().name("sluice-group-commit").daemon().start(this::run)
            : null;
  }

  @Override
  public <T> T write(Function<? super Repositories, T> work) {
    Objects.requireNonNull(work, "work");
    if (writer == null) {
      return transactions.write(work);
    }
    if (closed) {
      throw new StoreException("the database writer is closed");
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    queue.add(new Unit(work, done));
    try {
      @SuppressWarnings("unchecked")
      T result = (T) done.get();
      return result;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("a grouped write failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a grouped write", e);
    }
  }

  @Override
  public <T> T read(Function<? super Repositories, T> work) {
    return transactions.read(work);
  }

  private void run() {
    List<Unit> group = new ArrayList<>(MAX_GROUP);
    while (!closed || !queue.isEmpty()) {
      try {
        Unit first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Unit> group) {
    List<JdbiTransactions.Outcome> outcomes;
    try {
      outcomes = transactions.writeGroup(group.stream().map(Unit::work).toList());
    } catch (RuntimeException e) {
      group.forEach(u -> u.done().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      JdbiTransactions.Outcome o = outcomes.get(i);
      if (o.failure() != null) {
        group.get(i).done().completeExceptionally(o.failure());
      } else {
        group.get(i).done().complete(o.result());
      }
    }
  }

  /** Lets queued units finish, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      try {
        writer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
