package dev.sluice.store.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.core.tuf.OnlineKeys;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.model.RoleType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Online keys generated on first use and kept in memory, as the server's key files would be. */
final class MemoryOnlineKeys implements OnlineKeys {
  private final Map<String, SigningKey> keys = new ConcurrentHashMap<>();

  @Override
  public SigningKey role(RoleType type) {
    if (type == RoleType.ROOT) {
      throw new IllegalArgumentException("root is offline");
    }
    return keys.computeIfAbsent(type.typeName(), k -> TestKeys.ed25519());
  }

  @Override
  public SigningKey product(ProductName product) {
    return keys.computeIfAbsent("product:" + product.value(), k -> TestKeys.ed25519());
  }
}
