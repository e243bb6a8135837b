package dev.sluice.bench;

import dev.sluice.core.tlog.LogPosition;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fills a server's transparency log for {@code bench/run log}: starts a server on a data directory
 * (in this process, on a free port), appends {@code total} entries in batches of {@code batch}
 * through {@link TransparencyLog#appendAll} (each batch one write transaction, as a publication's
 * own append is one insert in its transaction), waits until a signed checkpoint covers the last,
 * and prints one line: {@code log-load entries=N batch=B seconds=S tree_size=T}. The data directory
 * is then served by {@code ./sluice serve} for the proof and tile measurements. Compiled against
 * the shaded jar by bench/run; not part of the Maven build.
 */
public final class LogLoad {
  private LogLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LogLoad DATA_DIR ENTRIES BATCH");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int total = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    if (total < 1 || batch < 1) {
      System.err.println("ENTRIES and BATCH must be positive");
      System.exit(2);
    }
    ServerConfig config = ServerConfig.builder(data).host("127.0.0.1").port(0).build();
    try (SluiceServer server = SluiceServer.start(config)) {
      TransparencyLog log = server.transparencyLog();
      // Entries shaped like release records: a few hundred bytes of JSON, each distinct.
      SplittableRandom random = new SplittableRandom(14);
      String padding = "x".repeat(300);
      long start = System.nanoTime();
      LogTicket last = null;
      for (int done = 0; done < total; done += batch) {
        int n = Math.min(batch, total - done);
        List<byte[]> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          String entry =
              "{\"type\":\"bench-entry\",\"n\":"
                  + (done + i)
                  + ",\"nonce\":"
                  + random.nextLong()
                  + ",\"padding\":\""
                  + padding
                  + "\"}";
          entries.add(entry.getBytes(StandardCharsets.UTF_8));
        }
        last = log.appendAll(entries).getLast();
      }
      Optional<LogPosition> covered = log.awaitIntegrated(last, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (covered.isEmpty()) {
        System.err.println("the last entry was not integrated within 10 minutes");
        System.exit(1);
      }
      System.out.printf(
          "log-load entries=%d batch=%d seconds=%.3f tree_size=%d%n",
          total, batch, seconds, covered.get().checkpoint().size());
    }
  }
}
