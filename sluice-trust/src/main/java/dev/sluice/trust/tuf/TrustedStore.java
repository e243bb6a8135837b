package dev.sluice.trust.tuf;

import java.util.Optional;

/**
 * Non-volatile storage for a client's last trusted metadata files, by role name ({@code "root"},
 * {@code "timestamp"}, {@code "snapshot"}, {@code "targets"}, delegated role names). It is what
 * makes rollback protection survive restarts: {@link TufUpdater} writes a file only after verifying
 * it, and re-verifies what it reads back.
 */
public interface TrustedStore {
  Optional<byte[]> load(String roleName);

  /** Replaces the stored file of the role; implementations should write atomically. */
  void store(String roleName, byte[] metadata);

  void delete(String roleName);
}
