package dev.sluice.server.keys;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens online keys on a background thread once the server listens, instead of on the start-up path
 * or in the first request that needs them. Opening a sealed key derives its wrapping key with
 * PBKDF2 (about half a second of a core each): the TUF role keys opened lazily made the first
 * publish or refresh after a start wait seconds, and opened before the listener they delayed the
 * port. Until the keys are open the server is up ({@code /api/v1/health}) but not ready ({@code
 * /api/v1/ready} answers 503 with the reason); a request that needs a key meanwhile waits for the
 * same key (the key cache is shared), it does not fail.
 */
public final class KeyWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(KeyWarmUp.class);

  private final String what;
  private final Runnable open;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param what names the keys in readiness reports and logs, e.g. "the TUF online keys"
   * @param open opens the keys; an exception is kept and reported by {@link #notReady}
   */
  public KeyWarmUp(String what, Runnable open) {
    this.what = Objects.requireNonNull(what, "what");
    this.open = Objects.requireNonNull(open, "open");
  }

  /**
   * Starts opening, once, on a daemon platform thread (PBKDF2 is CPU-bound: it would pin a virtual
   * thread's carrier for its whole duration). Until then the keys count as being opened.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform()
        .name("sluice-key-opening")
        .daemon()
        .start(
            () -> {
              try {
                open.run();
                opened.complete(null);
              } catch (RuntimeException e) {
                LOG.error("opening {} failed; the server stays not ready", what, e);
                opened.completeExceptionally(e);
              }
            });
  }

  /** Why the server is not ready because of these keys: empty once they are open. */
  public Optional<String> notReady() {
    if (!opened.isDone()) {
      return Optional.of(what + " are being opened");
    }
    if (opened.isCompletedExceptionally()) {
      return Optional.of(what + " could not be opened: " + failure().getMessage());
    }
    return Optional.empty();
  }

  /**
   * Waits at most {@code bound} for the keys to be open.
   *
   * @throws OnlineKeyException if opening failed, or did not finish within {@code bound}
   */
  public void await(Duration bound) {
    try {
      opened.get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new OnlineKeyException(what + " were not open after " + bound, e);
    } catch (ExecutionException e) {
      throw new OnlineKeyException(
          what + " could not be opened: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnlineKeyException("interrupted while waiting for " + what, e);
    }
  }

  private Throwable failure() {
    try {
      opened.join();
      throw new IllegalStateException("not failed");
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }
}
