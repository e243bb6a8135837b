package dev.sluice.trust.tuf;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link TrustedStore} in memory, for tests and for clients that re-bootstrap on start. */
public final class InMemoryTrustedStore implements TrustedStore {
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @Override
  public Optional<byte[]> load(String roleName) {
    return Optional.ofNullable(files.get(roleName)).map(byte[]::clone);
  }

  @Override
  public void store(String roleName, byte[] metadata) {
    files.put(roleName, metadata.clone());
  }

  @Override
  public void delete(String roleName) {
    files.remove(roleName);
  }
}
