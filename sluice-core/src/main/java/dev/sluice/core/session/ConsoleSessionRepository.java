package dev.sluice.core.session;

import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Optional;

/** Console sessions in the database, found by the hash of their cookie. */
public interface ConsoleSessionRepository {

  /** Stores a new session. */
  void insert(ConsoleSession session);

  /** The session of that id, if stored (expired or not: the caller judges). */
  Optional<ConsoleSession> find(Sha256 id);

  /** Records a use of the session at {@code lastUsedAt}, unless a later one is recorded. */
  void touch(Sha256 id, Instant lastUsedAt);

  /** Ends the session; returns whether it existed. */
  boolean delete(Sha256 id);

  /**
   * Deletes sessions last used before {@code idleBefore} or created before {@code createdBefore};
   * returns how many.
   */
  int deleteExpired(Instant idleBefore, Instant createdBefore);

  /** How many sessions are stored. */
  long count();
}
