package dev.sluice.cli.output;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on a terminal: bytes done of the total, rate and time left, redrawn in
 * place at most five times a second. Silent unless {@code interactive} (standard error is a
 * terminal), so that logs and pipes get no carriage returns.
 */
public final class Progress implements AutoCloseable {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean interactive;
  private final LongSupplier nanoTime;
  private final long start;
  private long done;
  private long lastDraw;
  private boolean drawn;

  Progress(PrintWriter err, String label, long total, boolean interactive, LongSupplier nanoTime) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.interactive = interactive;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.lastDraw = start;
  }

  /** A bar for {@code total} bytes of {@code label}, drawn only when {@code interactive}. */
  public static Progress of(PrintWriter err, String label, long total, boolean interactive) {
    return new Progress(err, label, total, interactive, System::nanoTime);
  }

  /** Counts {@code bytes} more as done; thread-safe (the HTTP client reports from its threads). */
  public synchronized void advance(long bytes) {
    done += bytes;
    long now = nanoTime.getAsLong();
    if (interactive && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      err.print("\r" + line(now));
      err.flush();
      drawn = true;
    }
  }

  /** The bar as text, e.g. {@code rootfs.img [#####.....] 45 MiB / 400 MiB 12 MiB/s ETA 0:29}. */
  synchronized String line(long now) {
    double seconds = Math.max((now - start) / 1e9, 1e-3);
    double rate = done / seconds;
    int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
    String eta = rate <= 0 || total <= done ? "0:00" : clock((long) ((total - done) / rate));
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %s / %s  %s/s  ETA %s ",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        Sizes.format(done),
        Sizes.format(total),
        Sizes.format((long) rate),
        eta);
  }

  private static String clock(long seconds) {
    return seconds >= 3600
        ? String.format(
            Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  /** Ends the line the bar was drawn on, if it was drawn. */
  @Override
  public synchronized void close() {
    if (drawn) {
      err.print("\r" + line(nanoTime.getAsLong()) + System.lineSeparator());
      err.flush();
    }
  }
}
