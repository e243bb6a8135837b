package dev.sluice.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Console sessions in the database: expiry by idle time and age, sign-out, what the table holds.
 * Run on SQLite and PostgreSQL.
 */
abstract class SessionsContract {
  private static final String TOKEN = "sk_console-user-token";

  private final TestDatabase db = freshDatabase();
  private final JdbiTransactions transactions = new JdbiTransactions(db.database());
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final Sessions sessions = new Sessions(transactions, clock);

  abstract TestDatabase freshDatabase();

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aSessionCarriesItsTokenAndCsrfTokenAndTheTableHoldsNeitherCookieNorToken() {
    String id = sessions.create(TOKEN);

    Sessions.Session session = sessions.find(id).orElseThrow();
    assertThat(session.token()).isEqualTo(TOKEN);
    assertThat(session.csrfMatches(session.csrf())).isTrue();
    assertThat(session.csrfMatches("other")).isFalse();
    String row =
        db.database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT id_sha256 || ' ' || sealed_token FROM console_sessions")
                        .mapTo(String.class)
                        .one());
    assertThat(row).doesNotContain(id).doesNotContain(TOKEN);
  }

  @Test
  void aSessionIdleLongerThanTheLimitEnds() {
    String id = sessions.create(TOKEN);
    clock.advance(Sessions.IDLE.minusMinutes(5));
    assertThat(sessions.find(id)).as("used within the idle limit").isPresent();
    clock.advance(Sessions.IDLE.minusMinutes(5));
    assertThat(sessions.find(id)).as("still in use").isPresent();

    clock.advance(Sessions.IDLE.plusMinutes(1));

    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void aSessionInUseEndsAtItsMaximumAge() {
    String id = sessions.create(TOKEN);
    for (Duration used = Duration.ZERO;
        used.compareTo(Sessions.MAX_AGE) < 0;
        used = used.plus(Duration.ofHours(1))) {
      assertThat(sessions.find(id)).as("after %s", used).isPresent();
      clock.advance(Duration.ofHours(1));
    }
    clock.advance(Duration.ofMinutes(1));

    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void signingOutEndsTheSessionAndExpiredRowsAreCollected() {
    String ended = sessions.create(TOKEN);
    String idle = sessions.create(TOKEN);
    sessions.end(ended);
    assertThat(sessions.find(ended)).isEmpty();

    clock.advance(Sessions.IDLE.plusMinutes(1));
    String fresh = sessions.create(TOKEN);

    assertThat(sessions.collectExpired()).isEqualTo(1);
    assertThat(sessions.find(idle)).isEmpty();
    assertThat(sessions.find(fresh)).isPresent();
  }

  @Test
  void aRowAlteredInTheDatabaseOpensNoSession() {
    String victim = sessions.create(TOKEN);
    String attacker = sessions.create("sk_attacker-token");
    // Someone with write access to the table swaps the sealed tokens of the two rows: each was
    // sealed under the other's cookie and does not open.
    db.database()
        .jdbi()
        .useHandle(
            h -> {
              var rows =
                  h.createQuery("SELECT id_sha256, sealed_token FROM console_sessions")
                      .mapToMap(String.class)
                      .list();
              assertThat(rows).hasSize(2);
              for (int i = 0; i < 2; i++) {
                h.createUpdate(
                        "UPDATE console_sessions SET sealed_token = :t WHERE id_sha256 = :id")
                    .bind("t", rows.get(1 - i).get("sealed_token"))
                    .bind("id", rows.get(i).get("id_sha256"))
                    .execute();
              }
            });

    assertThat(sessions.find(victim)).isEmpty();
    assertThat(sessions.find(attacker)).isEmpty();
  }

  @Test
  void malformedCookiesFindNothing() {
    sessions.create(TOKEN);

    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("")).isEmpty();
    assertThat(sessions.find("forged")).isEmpty();
    assertThat(sessions.find("A".repeat(43))).isEmpty();
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
