package dev.sluice.server.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sign-ins, held in memory: a random session id (the cookie) maps to the API token the user
 * typed and a CSRF token for the session's state changes. The token never reaches the browser
 * again; it is re-checked against the token store on every request, so revoking it ends the
 * session. Sessions expire after {@link #IDLE} without use and {@link #MAX_AGE} in all, and are
 * lost when the server restarts.
 */
final class Sessions {
  static final Duration IDLE = Duration.ofHours(2);
  static final Duration MAX_AGE = Duration.ofHours(12);
  static final int MAX_SESSIONS = 10_000;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A signed-in browser. Not a record: it holds a secret and must not print it. */
  static final class Session {
    private final String token;
    private final String csrf;
    private final Instant created;
    private volatile Instant lastUsed;

    private Session(String token, String csrf, Instant created) {
      this.token = token;
      this.csrf = csrf;
      this.created = created;
      this.lastUsed = created;
    }

    String token() {
      return token;
    }

    String csrf() {
      return csrf;
    }

    /** Whether {@code presented} is this session's CSRF token (constant-time comparison). */
    boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
      return "Session[created=" + created + "]";
    }
  }

  /** Starts a session for a token that has just been authenticated; returns its id. */
  String create(String token) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX_SESSIONS) {
      prune(now);
    }
    if (sessions.size() >= MAX_SESSIONS) {
      throw new dev.sluice.core.SluiceException.Conflict(
          dev.sluice.core.SluiceException.ConflictKind.NOT_READY,
          "too many console sessions; try again later");
    }
    String id = randomToken();
    sessions.put(id, new Session(token, randomToken(), now));
    return id;
  }

  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(session, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    session.lastUsed = now;
    return Optional.of(session);
  }

  void end(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private boolean expired(Session s, Instant now) {
    return now.isAfter(s.lastUsed.plus(IDLE)) || now.isAfter(s.created.plus(MAX_AGE));
  }

  private void prune(Instant now) {
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      if (expired(it.next(), now)) {
        it.remove();
      }
    }
  }
}
