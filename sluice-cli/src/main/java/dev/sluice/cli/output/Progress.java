package dev.sluice.cli.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on a terminal: bytes done of the total, rate and time left, redrawn in
 * place at most five times a second; for uploads, downloads and hashing large files. Silent unless
 * {@code interactive} (standard error is a terminal), so that logs and pipes get no carriage
 * returns.
 */
public final class Progress implements AutoCloseable {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final String label;
  private final Unit unit;
  private final boolean interactive;
  private final LongSupplier nanoTime;
  private final long start;
  private long total;
  private long done;
  private long lastDraw;
  private boolean drawn;

  /** How amounts are shown: bytes ({@code 45 MiB}) or a count of things ({@code 12 devices}). */
  record Unit(LongFunction<String> amount, String rateSuffix) {
    static final Unit BYTES = new Unit(Sizes::format, "/s");

    static Unit of(String things) {
      return new Unit(n -> n + " " + things, " " + things + "/s");
    }

    String rate(double perSecond) {
      return this == BYTES
          ? Sizes.format((long) perSecond) + rateSuffix
          : String.format(Locale.ROOT, "%.1f%s", perSecond, rateSuffix);
    }
  }

  Progress(
      PrintWriter err,
      String label,
      long total,
      Unit unit,
      boolean interactive,
      LongSupplier nanoTime) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.interactive = interactive;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.lastDraw = start;
  }

  Progress(PrintWriter err, String label, long total, boolean interactive, LongSupplier nanoTime) {
    this(err, label, total, Unit.BYTES, interactive, nanoTime);
  }

  /** A bar for {@code total} bytes of {@code label}, drawn only when {@code interactive}. */
  public static Progress of(PrintWriter err, String label, long total, boolean interactive) {
    return new Progress(err, label, total, Unit.BYTES, interactive, System::nanoTime);
  }

  /**
   * A bar counting {@code things} (e.g. devices) rather than bytes, for a long wait whose total may
   * grow as it goes ({@link #set}); drawn only when {@code interactive}.
   */
  public static Progress ofCount(
      PrintWriter err, String label, String things, boolean interactive) {
    return new Progress(err, label, 0, Unit.of(things), interactive, System::nanoTime);
  }

  /** Counts {@code bytes} more as done; thread-safe (the HTTP client reports from its threads). */
  public synchronized void advance(long bytes) {
    done += bytes;
    redraw(false);
  }

  /** Sets how much is done of how much in all (a wait polls both), and redraws the bar. */
  public synchronized void set(long done, long total) {
    this.done = done;
    this.total = total;
    redraw(true);
  }

  private void redraw(boolean always) {
    long now = nanoTime.getAsLong();
    if (interactive && (always || now - lastDraw >= REDRAW_NANOS)) {
      lastDraw = now;
      err.print("\r" + line(now));
      err.flush();
      drawn = true;
    }
  }

  /** {@code sink}, counting every byte written to it as done (for a download). */
  public OutputStream counting(OutputStream sink) {
    return new FilterOutputStream(sink) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        advance(1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        advance(length);
      }
    };
  }

  /** The bar as text, e.g. {@code rootfs.img [#####.....] 45 MiB / 400 MiB 12 MiB/s ETA 0:29}. */
  synchronized String line(long now) {
    double seconds = Math.max((now - start) / 1e9, 1e-3);
    double rate = done / seconds;
    int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
    String eta = rate <= 0 || total <= done ? "0:00" : clock((long) ((total - done) / rate));
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %s / %s  %s  ETA %s ",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        unit.amount().apply(done),
        unit.amount().apply(total),
        unit.rate(rate),
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
