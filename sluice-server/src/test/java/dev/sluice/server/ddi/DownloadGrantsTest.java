package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.store.Fixtures;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownloadGrantsTest {
  /** A clock that stands still until the test moves it. */
  private static final class SteppedClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T12:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private final SteppedClock clock = new SteppedClock();
  private final DownloadGrants grants = new DownloadGrants(clock, Duration.ofSeconds(1), 16);
  private final Release release = release("1.0.0");

  private static Release release(String version) {
    return Fixtures.draft(new ProductName("acme-phone"), version);
  }

  private Device device(String id) {
    return Device.registered(
        new ControllerId(id), new ProductName("acme-phone"), Set.of(), clock.instant());
  }

  private DownloadGrants.Grant grant(String device, Release r) {
    return grants.grant(
        device(device), Optional.of(Sha256.of(device.getBytes(StandardCharsets.UTF_8))), r);
  }

  /** A grant and its release's check, both read now (as the download route keeps them). */
  private void keep(DownloadGrants.Grant grant) {
    long stamp = grants.stamp();
    grants.put(stamp, grant);
    grants.releaseChecked(stamp, grant.release().id());
  }

  @Test
  void aGrantIsFoundUntilItsReleaseCheckEnds() {
    keep(grant("dev-1", release));
    clock.advance(Duration.ofMillis(999));
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNotNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();
  }

  @Test
  void oneReleaseCheckRenewsEveryDevicesGrantForTheRelease() {
    keep(grant("dev-1", release));
    keep(grant("dev-2", release));
    clock.advance(Duration.ofSeconds(5));
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();
    assertThat(grants.deviceGrant(new ControllerId("dev-1"), release.id())).isNotNull();

    grants.releaseChecked(grants.stamp(), release.id());
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNotNull();
    assertThat(grants.find(new ControllerId("dev-2"), release.id())).isNotNull();
    assertThat(grants.find(new ControllerId("dev-1"), release("2.0.0").id())).isNull();
  }

  @Test
  void aDeviceGrantEndsAfterItsOwnLifetimeWhateverTheReleaseCheck() {
    keep(grant("dev-1", release));
    clock.advance(DownloadGrants.DEVICE_TTL);
    grants.releaseChecked(grants.stamp(), release.id());
    assertThat(grants.deviceGrant(new ControllerId("dev-1"), release.id())).isNull();
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();
    grants.prune();
    assertThat(grants.size()).isZero();
  }

  @Test
  void aReleaseCheckReadBeforeAReleaseIsWithdrawnIsNotKeptAfterIt() {
    keep(grant("dev-1", release));
    clock.advance(Duration.ofSeconds(2));
    long stamp = grants.stamp();
    grants.dropAll();
    keep(grant("dev-1", release));
    clock.advance(Duration.ofSeconds(2));
    grants.releaseChecked(stamp, release.id());
    assertThat(grants.deviceGrant(new ControllerId("dev-1"), release.id())).isNotNull();
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();
  }

  @Test
  void aGrantIsForItsDeviceAndReleaseOnly() {
    keep(grant("dev-1", release));
    assertThat(grants.find(new ControllerId("dev-2"), release.id())).isNull();
    assertThat(grants.find(new ControllerId("dev-1"), release("2.0.0").id())).isNull();
  }

  @Test
  void droppingADeviceDropsItsGrantsOnly() {
    keep(grant("dev-1", release));
    keep(grant("dev-2", release));
    grants.drop(new ControllerId("dev-1"));
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();
    assertThat(grants.find(new ControllerId("dev-2"), release.id())).isNotNull();
  }

  @Test
  void aGrantReadBeforeADropIsNotKeptAfterIt() {
    long stamp = grants.stamp();
    grants.drop(new ControllerId("dev-1"));
    grants.put(stamp, grant("dev-1", release));
    assertThat(grants.find(new ControllerId("dev-1"), release.id())).isNull();

    long beforeAll = grants.stamp();
    grants.dropAll();
    grants.put(beforeAll, grant("dev-2", release));
    assertThat(grants.find(new ControllerId("dev-2"), release.id())).isNull();

    keep(grant("dev-2", release));
    assertThat(grants.find(new ControllerId("dev-2"), release.id())).isNotNull();
  }

  @Test
  void theNumberOfDevicesWithGrantsIsBounded() {
    for (int i = 0; i < 100; i++) {
      keep(grant("dev-" + i, release));
    }
    assertThat(grants.size()).isLessThanOrEqualTo(16);
    assertThat(grants.find(new ControllerId("dev-99"), release.id())).isNotNull();
  }

  @Test
  void aDeviceKeepsGrantsForAFewReleasesAtMost() {
    for (int i = 0; i < DownloadGrants.MAX_RELEASES_PER_DEVICE + 3; i++) {
      keep(grant("dev-1", release(i + ".0.0")));
    }
    Release last = release("99.0.0");
    keep(grant("dev-1", last));
    assertThat(grants.find(new ControllerId("dev-1"), last.id())).isNotNull();
  }

  @Test
  void aGrantNeedsALifetime() {
    assertThatThrownBy(() -> new DownloadGrants(clock, Duration.ZERO, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
