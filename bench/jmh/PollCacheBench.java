package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The poll cache (issue 14, item 9), run by {@code bench/run jmh}: a cached poll's lookup over
 * 100,000 devices in rotation, the same with the target-token check a cached poll makes (SHA-256 of
 * the presented token against the cached hash), and replacing an answer after the device changed.
 * In the cache's own package because its entries are package-private; compiled against the shaded
 * jar by bench/run, not part of the Maven build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PollCacheBench {
  private static final int DEVICES = 100_000;
  private static final String BASE = "http://127.0.0.1:8080/DEFAULT/controller/v1/";

  private PollCache cache;
  private String[] ids;
  private ControllerId[] controllerIds;
  private String[] bases;
  private byte[][] tokens;
  private byte[] body;
  private ProductName product;

  /** Each benchmark thread walks the fleet in its own order. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup
  public void setup() {
    cache = new PollCache(Clock.systemUTC(), Duration.ZERO, PollCache.DEFAULT_MAX_ENTRIES);
    ids = new String[DEVICES];
    controllerIds = new ControllerId[DEVICES];
    bases = new String[DEVICES];
    tokens = new byte[DEVICES][];
    body = new byte[147];
    product = new ProductName("bench-os");
    for (int i = 0; i < DEVICES; i++) {
      ids[i] = "fleet-" + i;
      controllerIds[i] = new ControllerId(ids[i]);
      bases[i] = BASE + ids[i];
      tokens[i] = ("sluice_dt_bench_token_" + i).getBytes(StandardCharsets.UTF_8);
      cache.put(
          cache.stamp(),
          controllerIds[i],
          body,
          bases[i],
          Optional.of(Sha256.of(tokens[i])),
          product,
          Long.MAX_VALUE);
    }
  }

  private int next(Cursor c) {
    int i = c.next;
    c.next = i + 1 == DEVICES ? 0 : i + 1;
    return i;
  }

  @Benchmark
  public Object cachedLookup(Cursor c) {
    int i = next(c);
    return cache.fresh(ids[i], bases[i]);
  }

  @Benchmark
  public boolean cachedLookupWithTokenCheck(Cursor c) {
    int i = next(c);
    PollCache.Entry e = cache.fresh(ids[i], bases[i]);
    Sha256 presented = Sha256.of(tokens[i]);
    return e != null && e.targetToken().map(presented::matches).orElse(false);
  }

  @Benchmark
  public void replaceAfterChange(Cursor c) {
    int i = next(c);
    cache.invalidate(controllerIds[i]);
    cache.put(
        cache.stamp(),
        controllerIds[i],
        body,
        bases[i],
        Optional.of(Sha256.of(tokens[i])),
        product,
        Long.MAX_VALUE);
  }
}
