package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.server.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poll cache and the hot path's bookkeeping: invalidation by this server's own changes, expiry
 * for other servers' changes (time moved by the injected clock), batched last-seen, rate limits,
 * anonymous access, jitter.
 */
class DdiPollCacheHttpTest {
  @TempDir Path dataDir;
  DdiFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void anAssignmentShowsOnTheVeryNextPoll() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
    String token = f.device("cache-1");
    assertThat(deploymentHref(f.get(ddi("cache-1"), target(token)).json())).isNull();
    f.assign("cache-1", f.release, "forced", null);
    assertThat(deploymentHref(f.get(ddi("cache-1"), target(token)).json())).isNotNull();
  }

  @Test
  void anotherServersChangeIsSeenOnceTheCachedAnswerExpires() {
    f =
        new DdiFixture(
            dataDir,
            c -> c.polling(Duration.ofMinutes(5), Duration.ZERO).pollCacheTtl(Duration.ofHours(1)));
    String token = f.device("ttl-1");
    assertThat(deploymentHref(f.get(ddi("ttl-1"), target(token)).json())).isNull();
    // Another server assigns (straight into the shared database: this server is not told).
    f.transactions.write(
        repos ->
            repos
                .actions()
                .insert(
                    new NewAction(
                        new ControllerId("ttl-1"),
                        new ReleaseId(f.release),
                        Optional.empty(),
                        0,
                        ActionType.FORCED,
                        Optional.empty(),
                        Optional.empty(),
                        ConfirmationPolicy.RUNNING_VERSION,
                        1),
                    f.clock.instant()));
    assertThat(deploymentHref(f.get(ddi("ttl-1"), target(token)).json()))
        .as("still the cached answer")
        .isNull();
    f.clock.advance(Duration.ofHours(2));
    assertThat(deploymentHref(f.get(ddi("ttl-1"), target(token)).json())).isNotNull();
  }

  @Test
  void pollsRecordLastSeenInBatches() {
    f = new DdiFixture(dataDir, c -> c);
    String token = f.device("seen-1");
    assertThat(f.get(ddi("seen-1"), target(token)).status()).isEqualTo(200);
    assertThat(f.get(ddi("seen-1"), target(token)).status()).isEqualTo(200);
    assertThat(f.stored("seen-1").lastSeen()).isEmpty();
    assertThat(f.running.server.ddi().lastSeen().runOnce()).isEqualTo(1);
    assertThat(f.stored("seen-1").lastSeen()).isPresent();
    assertThat(f.running.server.ddi().lastSeen().runOnce()).isZero();
  }

  @Test
  void aDevicePollingTooOftenGets429WithRetryAfter() {
    f = new DdiFixture(dataDir, c -> c.rateLimit(0.01, 3));
    String token = f.device("rate-1");
    for (int i = 0; i < 3; i++) {
      assertThat(f.get(ddi("rate-1"), target(token)).status()).isEqualTo(200);
    }
    Http.Response limited = f.get(ddi("rate-1"), target(token));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(f.post(ddi("rate-1") + "/deploymentBase/1/feedback", target(token), "{}").status())
        .isEqualTo(429);
    String other = f.device("rate-2");
    assertThat(f.get(ddi("rate-2"), target(other)).status()).isEqualTo(200);
    f.clock.advance(Duration.ofMinutes(10));
    assertThat(f.get(ddi("rate-1"), target(token)).status()).isEqualTo(200);
  }

  @Test
  void anonymousAccessServesRegisteredDevicesOnlyWhenEnabled() {
    f = new DdiFixture(dataDir, c -> c.anonymous(true));
    f.device("anon-1");
    assertThat(f.get(ddi("anon-1"), null).status()).isEqualTo(200);
    assertThat(f.get(ddi("anon-1"), null).status()).isEqualTo(200);
    assertThat(f.get(ddi("anon-2"), null).status()).isEqualTo(401);
  }

  @Test
  void jitterSpreadsSleepsWithinTheConfiguredBand() {
    DdiConfig config =
        DdiConfig.builder().polling(Duration.ofMinutes(5), Duration.ofSeconds(30)).build();
    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration sleep = config.sleepFor("device-" + i);
      assertThat(sleep).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
      assertThat(config.sleepFor("device-" + i)).isEqualTo(sleep);
      seen.add(sleep.withNanos(0));
    }
    assertThat(seen.size()).isGreaterThan(50);
    assertThat(DdiConfig.hhmmss(Duration.ofSeconds(3725))).isEqualTo("01:02:05");
  }

  @Test
  void linksFollowForwardedHeadersOnlyWhenTrusted() {
    f = new DdiFixture(dataDir, c -> c.trustForwardedHeaders(true));
    String token = f.device("fwd-1");
    Http.Response r =
        f.get(
            ddi("fwd-1"),
            target(token),
            java.util.Map.of(
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "updates.example.com"));
    assertThat(r.json().at("/_links/configData/href").asText())
        .isEqualTo("https://updates.example.com/DEFAULT/controller/v1/fwd-1/configData");
  }
}
