package dev.sluice.core.device;

import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Requests made with an {@code Idempotency-Key}: the key's hash (scoped to the caller), the
 * request's hash and the salt the answer's secrets were derived from. Never a secret.
 */
public interface IdempotencyKeys {

  /** One remembered request. */
  record Entry(Sha256 key, Sha256 request, Sha256 salt, Instant createdAt, Instant expiresAt) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(salt, "salt");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** The entry for the key, if one is stored and not expired at {@code now}. */
  Optional<Entry> find(Sha256 key, Instant now);

  /**
   * Stores the entry.
   *
   * @throws dev.sluice.core.SluiceException.Conflict if the key is stored already
   */
  void insert(Entry entry);

  /** Deletes entries that expired before {@code now}; returns how many. */
  int pruneBefore(Instant now);
}
