package dev.sluice.server.ddi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per controller id, the precomputed bytes of its poll answer and what is needed to check a caller
 * without the database: the SHA-256 of its target token and its product (for gateway tokens).
 * Entries are dropped when this server changes the device's actions or attributes, and expire after
 * a short TTL so that changes made by other servers are seen.
 */
public final class PollCache {
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Sha256, Gateway> gateways = new ConcurrentHashMap<>();
  private final Clock clock;
  private final long ttlMillis;

  PollCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
  }

  /** A cached answer: the body for links on {@code base}. */
  record Entry(
      ControllerId id,
      byte[] body,
      String base,
      Optional<Sha256> targetToken,
      ProductName product,
      long expires) {}

  private record Gateway(ProductName product, long expires) {}

  /** The fresh entry for the controller id whose links were made for {@code base}, if any. */
  Entry fresh(String controllerId, String base) {
    Entry e = entries.get(controllerId);
    if (e == null || e.expires() <= clock.millis() || !e.base().equals(base)) {
      return null;
    }
    return e;
  }

  void put(
      ControllerId id,
      byte[] body,
      String base,
      Optional<Sha256> targetToken,
      ProductName product) {
    entries.put(
        id.value(), new Entry(id, body, base, targetToken, product, clock.millis() + ttlMillis));
  }

  /** Drops the device's cached answer (its actions or attributes changed). */
  public void invalidate(ControllerId id) {
    entries.remove(id.value());
  }

  void rememberGateway(Sha256 token, ProductName product) {
    gateways.put(token, new Gateway(product, clock.millis() + ttlMillis));
  }

  /** The product of a gateway token seen recently, if still fresh. */
  ProductName gatewayProduct(Sha256 token) {
    Gateway g = gateways.get(token);
    return g == null || g.expires() <= clock.millis() ? null : g.product();
  }

  /** Drops expired entries (run periodically so the maps hold only active devices). */
  void prune() {
    long now = clock.millis();
    entries.values().removeIf(e -> e.expires() <= now);
    gateways.values().removeIf(g -> g.expires() <= now);
  }
}
