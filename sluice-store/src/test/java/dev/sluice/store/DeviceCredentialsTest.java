package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.DeviceCredentials;
import dev.sluice.core.device.DeviceCredentials.RotatedToken;
import dev.sluice.core.device.DeviceImport;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.device.DeviceService.BulkResult;
import dev.sluice.core.device.DeviceTokens;
import dev.sluice.core.device.Idempotency;
import dev.sluice.core.device.NewDevice;
import dev.sluice.core.device.RegisteredDevice;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductName;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device credentials after registration (rotate, revoke, decommission, bulk rotation) and
 * idempotent bulk registration, through the services on a real SQLite database.
 */
class DeviceCredentialsTest {
  static final ProductName PHONE = new ProductName("acme-phone");
  static final Principal OPERATOR = new Principal("token:ops", Role.OPERATOR, Optional.empty());
  static final Principal OTHER = new Principal("token:other", Role.OPERATOR, Optional.empty());
  static final Principal AUDITOR = new Principal("token:audit", Role.AUDITOR, Optional.empty());
  static final byte[] SECRET = "a server derivation secret, 32+ bytes".getBytes();

  private TestDatabase test;
  private Transactions tx;
  private MutableClock clock;
  private DeviceService devices;
  private DeviceCredentials credentials;

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = Fixtures.T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() {
    test = TestDatabases.freshSqlite();
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(Fixtures.product(PHONE.value(), List.of(lab), 1));
          return null;
        });
    clock = new MutableClock();
    devices = new DeviceService(tx, clock, SECRET);
    credentials = new DeviceCredentials(tx, clock);
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void theDeviceAndItsLiveTokenHashAreReadTogetherAsTheySeparatelyAre() {
    register("read-1", "lab", "eu");
    register("read-2");
    register("read-3");
    credentials.revokeToken(OPERATOR, new ControllerId("read-2"));
    credentials.decommission(OPERATOR, new ControllerId("read-3"));

    for (String id : List.of("read-1", "read-2", "read-3")) {
      ControllerId controller = new ControllerId(id);
      var together = tx.read(repos -> repos.devices().findWithTargetToken(controller));
      assertThat(together).isPresent();
      assertThat(together.get().device())
          .isEqualTo(tx.read(repos -> repos.devices().find(controller)).orElseThrow());
      assertThat(together.get().targetTokenHash()).as(id).isEqualTo(hash(id));
    }
    assertThat(hash("read-1")).isPresent();
    assertThat(hash("read-2")).isEmpty();
    assertThat(hash("read-3")).isEmpty();
    assertThat(
            tx.read(repos -> repos.devices().findWithTargetToken(new ControllerId("read-1")))
                .orElseThrow()
                .device()
                .tags())
        .containsExactlyInAnyOrder("lab", "eu");
    Optional<DeviceRepository.WithTargetToken> unknown =
        tx.read(repos -> repos.devices().findWithTargetToken(new ControllerId("nobody")));
    assertThat(unknown).isEmpty();
  }

  private Optional<Sha256> hash(String id) {
    return tx.read(repos -> repos.devices().targetTokenHash(new ControllerId(id)));
  }

  private String register(String id, String... tags) {
    return devices
        .register(
            OPERATOR, new NewDevice(new ControllerId(id), PHONE, Set.of(tags), Optional.empty()))
        .generatedToken()
        .orElseThrow();
  }

  private AuditEvent lastAudit() {
    List<AuditEvent> all =
        tx.read(repos -> repos.audit().list(new AuditQuery(Optional.empty(), 0, 1000)));
    return all.get(all.size() - 1);
  }

  private static byte[] csv(int n) {
    StringBuilder b = new StringBuilder("controller_id,product\n");
    for (int i = 0; i < n; i++) {
      b.append("bulk-").append(i).append(",acme-phone\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Idempotency key(String key, byte[] body) {
    return new Idempotency(key, Sha256.of(body));
  }

  @Test
  void rotatingATokenReplacesItAndIsAuditedWithoutTheSecret() {
    String old = register("rot-1");
    RotatedToken rotated = credentials.rotateToken(OPERATOR, new ControllerId("rot-1"));

    assertThat(rotated.token()).startsWith(DeviceTokens.PREFIX).isNotEqualTo(old);
    assertThat(hash("rot-1")).contains(DeviceTokens.hash(rotated.token()));
    assertThat(rotated.toString()).doesNotContain(rotated.token());
    AuditEvent event = lastAudit();
    assertThat(event.action()).isEqualTo("device.token-rotated");
    assertThat(event.actor()).isEqualTo("token:ops");
    assertThat(event.detail().toString()).doesNotContain(rotated.token());
    assertThat(changesFor("rot-1")).isEqualTo(1);
  }

  @Test
  void aRevokedTokenHasNoHashUntilTheTokenIsRotated() {
    register("rev-1");
    credentials.revokeToken(OPERATOR, new ControllerId("rev-1"));

    assertThat(hash("rev-1")).isEmpty();
    assertThat(lastAudit().action()).isEqualTo("device.token-revoked");
    assertThatThrownBy(() -> credentials.revokeToken(OPERATOR, new ControllerId("rev-1")))
        .isInstanceOf(SluiceException.Conflict.class)
        .hasMessageContaining("revoked already");
    String fresh = credentials.rotateToken(OPERATOR, new ControllerId("rev-1")).token();
    assertThat(hash("rev-1")).contains(DeviceTokens.hash(fresh));
  }

  @Test
  void aDecommissionedDeviceKeepsItsRecordButLeavesTheFleetAndRefusesChanges() {
    register("dec-1", "eu");
    register("dec-2", "eu");
    var device = credentials.decommission(OPERATOR, new ControllerId("dec-1"));

    assertThat(device.decommissionedAt()).contains(clock.now);
    assertThat(hash("dec-1")).isEmpty();
    assertThat(devices.device(AUDITOR, new ControllerId("dec-1")).decommissioned()).isTrue();
    assertThat(devices.count(AUDITOR, Optional.empty(), "tag==eu")).isEqualTo(1);
    assertThat(
            devices.list(AUDITOR, Optional.empty(), "", Optional.empty(), 10).devices().stream()
                .map(d -> d.id().value()))
        .containsExactly("dec-2");
    assertThat(lastAudit().action()).isEqualTo("device.decommissioned");
    assertThatThrownBy(() -> credentials.rotateToken(OPERATOR, new ControllerId("dec-1")))
        .isInstanceOf(SluiceException.Conflict.class)
        .hasMessageContaining("decommissioned");
    assertThatThrownBy(() -> credentials.decommission(OPERATOR, new ControllerId("dec-1")))
        .isInstanceOf(SluiceException.Conflict.class);
    assertThatThrownBy(
            () ->
                devices.register(
                    OPERATOR,
                    new NewDevice(new ControllerId("dec-1"), PHONE, Set.of(), Optional.empty())))
        .as("the id stays taken: its history stays with it")
        .isInstanceOf(SluiceException.Conflict.class);
  }

  @Test
  void auditorsMayNotChangeCredentials() {
    register("ro-1");
    ControllerId id = new ControllerId("ro-1");
    assertThatThrownBy(() -> credentials.rotateToken(AUDITOR, id))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThatThrownBy(() -> credentials.revokeToken(AUDITOR, id))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThatThrownBy(() -> credentials.decommission(AUDITOR, id))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThatThrownBy(() -> credentials.rotateTokens(AUDITOR, Optional.empty(), "id==*"))
        .isInstanceOf(SluiceException.Forbidden.class);
  }

  @Test
  void bulkRotationChangesExactlyTheFilteredDevicesInService() {
    Map<String, String> before =
        IntStream.range(0, 5)
            .mapToObj(i -> "fleet-" + i)
            .collect(
                Collectors.toMap(id -> id, id -> register(id, id.endsWith("4") ? "us" : "eu")));
    credentials.decommission(OPERATOR, new ControllerId("fleet-0"));

    List<RotatedToken> rotated = credentials.rotateTokens(OPERATOR, Optional.of(PHONE), "tag==eu");

    assertThat(rotated)
        .extracting(r -> r.id().value())
        .containsExactly("fleet-1", "fleet-2", "fleet-3");
    for (RotatedToken r : rotated) {
      assertThat(hash(r.id().value())).contains(DeviceTokens.hash(r.token()));
    }
    assertThat(hash("fleet-4")).contains(DeviceTokens.hash(before.get("fleet-4")));
    AuditEvent event = lastAudit();
    assertThat(event.action()).isEqualTo("device.tokens-rotated");
    assertThat(event.detail().get("count").asInt()).isEqualTo(3);
    assertThat(event.detail().toString()).doesNotContain(rotated.get(0).token());
  }

  @Test
  void bulkRotationNeedsAFilterThatSelectsSomething() {
    register("one-1");
    assertThatThrownBy(() -> credentials.rotateTokens(OPERATOR, Optional.empty(), " "))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("filter is required");
    assertThatThrownBy(() -> credentials.rotateTokens(OPERATOR, Optional.empty(), "tag==none"))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("selects no device");
    assertThatThrownBy(() -> credentials.rotateTokens(OPERATOR, Optional.empty(), "tag=="))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }

  @Test
  void aLostBulkAnswerIsReplayedWithTheSameTokensBySameKeyAndBody() {
    byte[] body = csv(50);
    Idempotency key = key(UUID.randomUUID().toString(), body);
    BulkResult first = devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key));
    assertThat(first.replayed()).isFalse();
    // The answer never reached the client (a kill between commit and answer): a second server
    // sharing the database and the derivation secret answers the retry.
    DeviceService otherServer = new DeviceService(tx, clock, SECRET);
    clock.now = clock.now.plus(Duration.ofHours(23));
    BulkResult retry = otherServer.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key));

    assertThat(retry.replayed()).isTrue();
    assertThat(tokens(retry)).isEqualTo(tokens(first)).hasSize(50);
    for (var e : tokens(retry).entrySet()) {
      assertThat(hash(e.getKey())).contains(DeviceTokens.hash(e.getValue()));
    }
    assertThat(lastAudit().action()).isEqualTo("device.bulk-registration-replayed");
    assertThat(lastAudit().detail().toString())
        .doesNotContain(first.devices().get(0).generatedToken().orElseThrow());
  }

  @Test
  void theSameKeyWithAnotherBodyIsAConflictAndAnotherCallerCannotReplay() {
    byte[] body = csv(3);
    String k = UUID.randomUUID().toString();
    devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key(k, body)));
    byte[] other = csv(4);

    assertThatThrownBy(
            () ->
                devices.registerAll(OPERATOR, DeviceImport.csv(other), Optional.of(key(k, other))))
        .isInstanceOf(SluiceException.Conflict.class)
        .satisfies(
            e ->
                assertThat(((SluiceException.Conflict) e).conflictKind())
                    .isEqualTo(SluiceException.ConflictKind.IDEMPOTENCY_KEY_REUSED));
    assertThatThrownBy(
            () -> devices.registerAll(OTHER, DeviceImport.csv(body), Optional.of(key(k, body))))
        .as("the key is scoped to its caller: another token's retry registers anew, and conflicts")
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("rows are invalid");
  }

  @Test
  void anExpiredKeyIsForgottenAndAReplayAfterRotationIsRefused() {
    byte[] body = csv(2);
    Idempotency key = key(UUID.randomUUID().toString(), body);
    devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key));
    credentials.rotateToken(OPERATOR, new ControllerId("bulk-1"));

    assertThatThrownBy(
            () -> devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key)))
        .isInstanceOf(SluiceException.Conflict.class)
        .hasMessageContaining("1 of the 2 devices");

    clock.now = clock.now.plus(DeviceService.IDEMPOTENCY_TTL).plusSeconds(1);
    assertThatThrownBy(
            () -> devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key)))
        .as("after a day the key is gone: the request is new, and its devices exist")
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("rows are invalid");
  }

  @Test
  void aFailedRegistrationRemembersNoKey() {
    register("bulk-1");
    byte[] body = csv(3);
    Idempotency key = key(UUID.randomUUID().toString(), body);
    assertThatThrownBy(
            () -> devices.registerAll(OPERATOR, DeviceImport.csv(body), Optional.of(key)))
        .isInstanceOf(SluiceException.InvalidInput.class);
    tx.write(
        repos -> {
          repos.devices().decommission(new ControllerId("bulk-1"), clock.now);
          return null;
        });
    byte[] fixed = csv(1);
    BulkResult ok =
        devices.registerAll(OPERATOR, DeviceImport.csv(fixed), Optional.of(key(key.key(), fixed)));
    assertThat(ok.replayed()).isFalse();
    assertThat(ok.devices()).hasSize(1);
  }

  @Test
  void idempotencyKeysAreLongEnoughAndNeverPrinted() {
    assertThatThrownBy(() -> new Idempotency("short", Sha256.of(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16-255");
    assertThatThrownBy(() -> new Idempotency("with a space 0123456789", Sha256.of(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
    String k = UUID.randomUUID().toString();
    assertThat(new Idempotency(k, Sha256.of(new byte[0])).toString()).doesNotContain(k);
  }

  private static Map<String, String> tokens(BulkResult result) {
    return result.devices().stream()
        .collect(
            Collectors.toMap(
                (RegisteredDevice r) -> r.device().id().value(),
                r -> r.generatedToken().orElseThrow()));
  }

  private long changesFor(String id) {
    return tx.read(repos -> repos.deviceChanges().after(0, 1000)).stream()
        .filter(c -> c.device().value().equals(id))
        .count();
  }
}
