package dev.sluice.core.tuf;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The TUF repository's metadata files, by role name and version. A file once stored is never
 * overwritten or removed (the schema refuses it), so every version a client may have fetched stays
 * servable under the same bytes.
 */
public interface TufStorage {

  /**
   * Serialises writers of the TUF repository until the transaction ends (several server instances
   * on one PostgreSQL database), so that no two compute the same next version.
   */
  void lock();

  /** The newest version of the role's metadata, if any. */
  OptionalLong latestVersion(String role);

  /** The bytes of one version of the role's metadata. */
  Optional<byte[]> find(String role, long version);

  /**
   * Stores a new version.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if that version exists
   */
  void insert(String role, long version, byte[] bytes, Instant at);
}
