package dev.sluice.server.web;

import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.session.ConsoleSession;
import dev.sluice.core.session.SessionPorts;
import dev.sluice.server.jobs.PeriodicJob;
import dev.sluice.trust.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sign-ins, kept in the database so that any instance behind a load balancer serves any of
 * them: a random session id (the cookie, 256 bits) maps to the API token the user typed and a CSRF
 * token for the session's state changes. The row is found by a hash of the id, and the token in it
 * is encrypted (AES-256-GCM) under a key derived from the id: the database alone neither opens a
 * session nor yields a token, and no key needs sharing between instances. The token never reaches
 * the browser again; it is re-checked against the token store on every request, so revoking it ends
 * the session, and signing out deletes the row, which ends the session on every instance. Sessions
 * expire after {@link #IDLE} without use and {@link #MAX_AGE} in all; expired rows are removed by
 * {@link #job()}.
 */
final class Sessions {
  static final Duration IDLE = Duration.ofHours(2);
  static final Duration MAX_AGE = Duration.ofHours(12);
  static final int MAX_SESSIONS = 10_000;

  /** A use is written at most this often per session (the idle expiry is that much coarser). */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final byte[] ID_HASH_LABEL =
      "sluice.console-session.id/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOKEN_KEY_LABEL =
      "sluice.console-session.token-key/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;

  private final SecureRandom random = new SecureRandom();
  private final UnitOfWork<? extends SessionPorts> transactions;
  private final Clock clock;

  Sessions(UnitOfWork<? extends SessionPorts> transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A signed-in browser. Not a record: it holds a secret and must not print it. */
  static final class Session {
    private final String token;
    private final String csrf;
    private final Instant created;

    private Session(String token, String csrf, Instant created) {
      this.token = token;
      this.csrf = csrf;
      this.created = created;
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
              csrf.getBytes(StandardCharsets.US_ASCII),
              presented.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
      return "Session[created=" + created + "]";
    }
  }

  /** Starts a session for a token that has just been authenticated; returns its id. */
  String create(String token) {
    Instant now = clock.instant();
    String id = randomToken();
    ConsoleSession row = new ConsoleSession(idHash(id), seal(id, token), randomToken(), now, now);
    transactions.write(
        repos -> {
          var sessions = repos.consoleSessions();
          if (sessions.count() >= MAX_SESSIONS) {
            sessions.deleteExpired(now.minus(IDLE), now.minus(MAX_AGE));
          }
          if (sessions.count() >= MAX_SESSIONS) {
            throw new SluiceException.Conflict(
                SluiceException.ConflictKind.NOT_READY,
                "too many console sessions; try again later");
          }
          sessions.insert(row);
          return null;
        });
    return id;
  }

  /** The live session of that cookie value, if any (wherever it was started). */
  Optional<Session> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Sha256 key = idHash(id);
    Optional<ConsoleSession> found = transactions.read(repos -> repos.consoleSessions().find(key));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ConsoleSession row = found.get();
    Instant now = clock.instant();
    if (now.isAfter(row.lastUsedAt().plus(IDLE)) || now.isAfter(row.createdAt().plus(MAX_AGE))) {
      end(id);
      return Optional.empty();
    }
    Optional<String> token = open(id, row.sealedToken());
    if (token.isEmpty()) {
      return Optional.empty();
    }
    if (now.isAfter(row.lastUsedAt().plus(TOUCH_EVERY))) {
      transactions.write(
          repos -> {
            repos.consoleSessions().touch(key, now);
            return null;
          });
    }
    return Optional.of(new Session(token.get(), row.csrf(), row.createdAt()));
  }

  /** Ends the session on every instance. */
  void end(String id) {
    if (id != null && ID.matcher(id).matches()) {
      Sha256 key = idHash(id);
      transactions.write(repos -> repos.consoleSessions().delete(key));
    }
  }

  /** Removes expired sessions; returns how many. */
  int collectExpired() {
    Instant now = clock.instant();
    return transactions.write(
        repos -> repos.consoleSessions().deleteExpired(now.minus(IDLE), now.minus(MAX_AGE)));
  }

  /** The job that removes expired sessions, every ten minutes on every instance. */
  PeriodicJob job() {
    return PeriodicJob.every(Duration.ofMinutes(10), "console-sessions", this::collectExpired);
  }

  String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Sha256 idHash(String id) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(ID_HASH_LABEL);
    digest.update(id.getBytes(StandardCharsets.US_ASCII));
    return Sha256.fromBytes(digest.digest());
  }

  private String seal(String id, String token) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      byte[] ciphertext =
          cipher(Cipher.ENCRYPT_MODE, id, nonce).doFinal(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + ciphertext.length)
                  .put(nonce)
                  .put(ciphertext)
                  .array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides AES-GCM", e);
    }
  }

  /** The token, or empty if the row was not sealed under this id (altered in the database). */
  private static Optional<String> open(String id, String sealed) {
    try {
      byte[] bytes = Base64.getDecoder().decode(sealed);
      if (bytes.length <= NONCE_BYTES) {
        return Optional.empty();
      }
      byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
      byte[] plain =
          cipher(Cipher.DECRYPT_MODE, id, nonce)
              .doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return Optional.of(new String(plain, StandardCharsets.UTF_8));
    } catch (AEADBadTagException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides AES-GCM", e);
    }
  }

  /** AES-256-GCM under HMAC-SHA256(id, label), bound to the row by the id's hash as AAD. */
  private static Cipher cipher(int mode, String id, byte[] nonce) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(id.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    byte[] key = mac.doFinal(TOKEN_KEY_LABEL);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(idHash(id).hex().getBytes(StandardCharsets.US_ASCII));
      return cipher;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
