package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poll answers live until the device changes: changes through another server sharing the database
 * reach this server's cache through the device change feed; answers outlive any fixed TTL; a server
 * that fell behind the feed's pruning drops its whole cache.
 */
class DdiChangeFeedTest {
  private static final String BASE = "http://h/DEFAULT/controller/v1/";
  @TempDir Path dataDir;
  DdiFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static DdiConfig.Builder fiveMinutes(DdiConfig.Builder c) {
    return c.polling(Duration.ofMinutes(5), Duration.ZERO);
  }

  @Test
  void anAssignmentThroughOneServerShowsOnAnotherServersPollAfterItReadsTheFeed() {
    f = new DdiFixture(dataDir, DdiChangeFeedTest::fiveMinutes);
    String token = f.device("two-1");
    try (SluiceServer b =
        SluiceServer.start(
            ServerConfig.builder(dataDir)
                .port(0)
                .ddi(fiveMinutes(DdiConfig.builder()).build())
                .build(),
            f.clock)) {
      Http onB = new Http(b.baseUri());
      assertThat(deploymentHref(poll(onB, "two-1", token).json())).isNull();
      f.assign("two-1", f.release, "forced", null);
      assertThat(b.ddi().changes().runOnce()).isGreaterThanOrEqualTo(0);
      String href = deploymentHref(poll(onB, "two-1", token).json());
      assertThat(href).as("server B sees server A's assignment").isNotNull();
      String onA = deploymentHref(f.get(ddi("two-1"), target(token)).json());
      assertThat(href.substring(href.indexOf("/DEFAULT/")))
          .isEqualTo(onA.substring(onA.indexOf("/DEFAULT/")));
    }
  }

  @Test
  void aCachedAnswerOutlivesTheOldTtlWhileNothingIsRecordedInTheFeed() {
    f = new DdiFixture(dataDir, DdiChangeFeedTest::fiveMinutes);
    String token = f.device("long-1");
    assertThat(deploymentHref(f.get(ddi("long-1"), target(token)).json())).isNull();
    // Written around the feed (as no server does): only a cached answer can still say "nothing".
    assignBehindTheFeed("long-1");
    for (int i = 0; i < 6; i++) {
      f.clock.advance(Duration.ofMinutes(20));
      assertThat(f.running.server.ddi().changes().runOnce()).isZero();
      assertThat(deploymentHref(f.get(ddi("long-1"), target(token)).json()))
          .as("still the cached answer after %d minutes", 20 * (i + 1))
          .isNull();
    }
  }

  @Test
  void aServerThatFellBehindThePruningHorizonDropsItsWholeCache() {
    f = new DdiFixture(dataDir, DdiChangeFeedTest::fiveMinutes);
    String token = f.device("behind-1");
    assertThat(deploymentHref(f.get(ddi("behind-1"), target(token)).json())).isNull();
    assignBehindTheFeed("behind-1");
    f.clock.advance(DeviceChangeFollower.RETENTION);
    // The scheduled run may have noticed first; either way the cache is dropped by now.
    assertThat(f.running.server.ddi().changes().runOnce()).isIn(-1, 0);
    assertThat(deploymentHref(f.get(ddi("behind-1"), target(token)).json())).isNotNull();
  }

  @Test
  void theFollowerDropsChangedDevicesPrunesOldChangesAndRefusesStaleAnswers() {
    f = new DdiFixture(dataDir, c -> c);
    PollCache cache = new PollCache(f.clock, Duration.ZERO, 100);
    DeviceChangeFollower follower = new DeviceChangeFollower(f.transactions, cache, f.clock);
    assertThat(follower.runOnce()).as("the first run starts at the feed's end").isEqualTo(-1);
    ControllerId a = new ControllerId("feed-a");
    ControllerId b = new ControllerId("feed-b");
    put(cache, cache.stamp(), a);
    put(cache, cache.stamp(), b);
    f.transactions.write(
        repos -> {
          repos.deviceChanges().record(a, f.clock.instant());
          return null;
        });
    assertThat(follower.runOnce()).isEqualTo(1);
    assertThat(cache.fresh("feed-a", BASE + "feed-a")).isNull();
    assertThat(cache.fresh("feed-b", BASE + "feed-b")).isNotNull();

    // A poll that read before the change must not put its answer back after it.
    long stamp = cache.stamp();
    cache.invalidate(b);
    put(cache, stamp, b);
    assertThat(cache.fresh("feed-b", BASE + "feed-b")).isNull();
    put(cache, cache.stamp(), b);
    assertThat(cache.fresh("feed-b", BASE + "feed-b")).isNotNull();

    for (int i = 0; i < 4; i++) {
      f.clock.advance(Duration.ofMinutes(20));
      follower.runOnce();
    }
    java.util.List<dev.sluice.core.device.DeviceChangeFeed.Change> left =
        f.transactions.read(repos -> repos.deviceChanges().after(0, 100));
    assertThat(left).as("changes older than the retention are pruned").isEmpty();
    assertThat(cache.fresh("feed-b", BASE + "feed-b")).as("no change: still cached").isNotNull();

    f.clock.advance(DeviceChangeFollower.RETENTION.dividedBy(2).plusSeconds(1));
    assertThat(follower.runOnce()).as("fell behind: starts over").isEqualTo(-1);
    assertThat(cache.fresh("feed-b", BASE + "feed-b")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aChangeThatCommitsAfterAHigherPositionIsStillFollowedWithinTheRereadWindow() {
    f = new DdiFixture(dataDir, c -> c);
    PollCache cache = new PollCache(f.clock, Duration.ZERO, 100);
    DeviceChangeFollower follower = new DeviceChangeFollower(f.transactions, cache, f.clock);
    follower.runOnce();
    long end = f.transactions.read(repos -> repos.deviceChanges().latestSeq());
    for (String id : List.of("late-a", "late-b", "late-c", "late-d")) {
      put(cache, cache.stamp(), new ControllerId(id));
    }
    // Position end+5 commits first; end+1..end+4 belong to transactions still in flight.
    insertChange(end + 5, "late-a");
    assertThat(follower.runOnce()).isEqualTo(1);
    assertThat(cache.fresh("late-a", BASE + "late-a")).isNull();

    f.clock.advance(Duration.ofSeconds(2));
    insertChange(end + 2, "late-b");
    assertThat(follower.runOnce()).as("the late change is read by its position").isEqualTo(1);
    assertThat(cache.fresh("late-b", BASE + "late-b")).isNull();
    assertThat(cache.fresh("late-c", BASE + "late-c")).isNotNull();

    // A gap still empty after the reread window was a rolled-back transaction: no longer asked.
    f.clock.advance(DeviceChangeFollower.REREAD.plusSeconds(1));
    follower.runOnce();
    insertChange(end + 3, "late-c");
    assertThat(follower.runOnce()).isZero();
    assertThat(cache.fresh("late-d", BASE + "late-d")).as("untouched").isNotNull();
  }

  @Test
  void thousandsOfChangesASecondAreFollowedWithoutDroppingTheWholeCache() {
    f = new DdiFixture(dataDir, c -> c);
    PollCache cache = new PollCache(f.clock, Duration.ZERO, 100);
    DeviceChangeFollower follower = new DeviceChangeFollower(f.transactions, cache, f.clock);
    follower.runOnce();
    ControllerId quiet = new ControllerId("quiet-1");
    put(cache, cache.stamp(), quiet);
    // Five seconds at 4,000 changes a second: more than one run reads at once, in the window the
    // follower once reread every second (which dropped the whole cache each time).
    for (int second = 0; second < 5; second++) {
      f.transactions.write(
          repos -> {
            for (int i = 0; i < 4_000; i++) {
              repos.deviceChanges().record(new ControllerId("busy-" + i), f.clock.instant());
            }
            return null;
          });
      assertThat(follower.runOnce()).isEqualTo(4_000);
      f.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(cache.fresh("quiet-1", BASE + "quiet-1")).isNotNull();
  }

  private void insertChange(long seq, String device) {
    f.database
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO device_changes (seq, controller_id, at) VALUES (:s, :d, :a)")
                    .bind("s", seq)
                    .bind("d", device)
                    .bind("a", f.clock.instant().toEpochMilli())
                    .execute());
  }

  @Test
  void anAnswerWaitingForAMaintenanceWindowIsRecomputedOnceTheWindowOpens() {
    f = new DdiFixture(dataDir, DdiChangeFeedTest::fiveMinutes);
    String token = f.device("window-1");
    java.time.ZonedDateTime opens =
        f.clock.instant().plus(Duration.ofMinutes(10)).atZone(java.time.ZoneOffset.UTC);
    Http.Response r =
        f.http.post(
            "/api/v1/devices/window-1/actions",
            f.p.adminToken,
            Http.object()
                .put("release_id", f.release)
                .put("type", "forced")
                .set(
                    "maintenance_window",
                    Http.object()
                        .put("schedule", opens.getMinute() + " " + opens.getHour() + " * * *")
                        .put("duration", "PT30M")
                        .put("zone", "UTC")));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(deploymentHref(f.get(ddi("window-1"), target(token)).json()))
        .as("the window is closed")
        .isNull();
    // Less than the change follower's fall-behind time: only the answer's own expiry can end it.
    f.clock.advance(Duration.ofMinutes(11));
    assertThat(deploymentHref(f.get(ddi("window-1"), target(token)).json()))
        .as("the window is open now")
        .isNotNull();
  }

  @Test
  void aFullCacheDropsSomeAnswersAndKeepsTheRest() {
    PollCache cache = new PollCache(java.time.Clock.systemUTC(), Duration.ZERO, 16);
    for (int i = 0; i < 40; i++) {
      put(cache, cache.stamp(), new ControllerId("full-" + i));
    }
    assertThat(cache.size()).isBetween(1, 16);
    assertThat(cache.fresh("full-39", BASE + "full-39")).isNotNull();
  }

  private static void put(PollCache cache, long stamp, ControllerId id) {
    cache.put(
        stamp,
        id,
        "{}".getBytes(StandardCharsets.UTF_8),
        BASE + id.value(),
        Optional.of(Sha256.of(new byte[] {1})),
        new ProductName(DdiFixture.PRODUCT),
        Long.MAX_VALUE);
  }

  private Http.Response poll(Http http, String device, String token) {
    return http.send(
        http.request(ddi(device), null).GET().header("Authorization", target(token)).build());
  }

  private void assignBehindTheFeed(String device) {
    f.transactions.write(
        repos ->
            repos
                .actions()
                .insert(
                    new NewAction(
                        new ControllerId(device),
                        new ReleaseId(f.release),
                        Optional.empty(),
                        0,
                        ActionType.FORCED,
                        Optional.empty(),
                        Optional.empty(),
                        ConfirmationPolicy.RUNNING_VERSION,
                        1),
                    f.clock.instant()));
  }
}
