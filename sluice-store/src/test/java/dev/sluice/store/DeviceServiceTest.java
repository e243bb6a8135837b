package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Violation;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceImport;
import dev.sluice.core.device.DevicePage;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.device.DeviceTokens;
import dev.sluice.core.device.NewDevice;
import dev.sluice.core.device.RegisteredDevice;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductName;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Device registration, listing and tagging through the service, on a real SQLite database. */
class DeviceServiceTest {
  static final ProductName PHONE = new ProductName("acme-phone");
  static final Principal OPERATOR = new Principal("ops", Role.OPERATOR, Optional.empty());
  static final Principal AUDITOR = new Principal("audit", Role.AUDITOR, Optional.empty());
  static final Principal RELEASE_MANAGER =
      new Principal("rm", Role.RELEASE_MANAGER, Optional.empty());

  private TestDatabase test;
  private Transactions tx;
  private DeviceService devices;

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
    devices = new DeviceService(tx, Clock.fixed(Fixtures.T0, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    test.close();
  }

  private static NewDevice spec(String id, String... tags) {
    return new NewDevice(new ControllerId(id), PHONE, Set.of(tags), Optional.empty());
  }

  private List<AuditEvent> audit() {
    return tx.read(repos -> repos.audit().list(new AuditQuery(Optional.empty(), 0, 1000)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void registeringGeneratesATokenShownOnceAndStoresOnlyItsDigest() {
    RegisteredDevice registered = devices.register(OPERATOR, spec("dev-1", "eu"));

    String token = registered.generatedToken().orElseThrow();
    assertThat(token).startsWith(DeviceTokens.PREFIX).hasSize(DeviceTokens.PREFIX.length() + 43);
    assertThat(
            tx.<Optional<dev.sluice.trust.hash.Sha256>>read(
                repos -> repos.devices().targetTokenHash(new ControllerId("dev-1"))))
        .contains(DeviceTokens.hash(token));
    assertThat(registered.toString()).doesNotContain(token);
    assertThat(devices.device(AUDITOR, new ControllerId("dev-1")).tags()).containsExactly("eu");
    AuditEvent event = audit().get(audit().size() - 1);
    assertThat(event.action()).isEqualTo("device.registered");
    assertThat(event.subject()).isEqualTo("device/dev-1");
    assertThat(event.detail().toString()).doesNotContain(token);
  }

  @Test
  void anOperatorProvidedTokenIsNotEchoed() {
    String own = "my-own-token-0123456789";
    RegisteredDevice registered =
        devices.register(
            OPERATOR, new NewDevice(new ControllerId("dev-2"), PHONE, Set.of(), Optional.of(own)));

    assertThat(registered.generatedToken()).isEmpty();
    assertThat(
            tx.<Optional<dev.sluice.trust.hash.Sha256>>read(
                repos -> repos.devices().targetTokenHash(new ControllerId("dev-2"))))
        .contains(DeviceTokens.hash(own));
    assertThatThrownBy(
            () -> new NewDevice(new ControllerId("x"), PHONE, Set.of(), Optional.of("short")))
        .hasMessageContaining("16-128");
  }

  @Test
  void rolesDecideWhoRegistersAndWhoReads() {
    assertThatThrownBy(() -> devices.register(AUDITOR, spec("a")))
        .isInstanceOf(SluiceException.Forbidden.class);
    devices.register(OPERATOR, spec("a"));
    assertThatThrownBy(() -> devices.device(RELEASE_MANAGER, new ControllerId("a")))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThatThrownBy(() -> devices.tag(AUDITOR, new ControllerId("a"), Set.of("x"), Set.of()))
        .isInstanceOf(SluiceException.Forbidden.class);
    assertThat(devices.count(AUDITOR, Optional.empty(), "")).isEqualTo(1);
  }

  @Test
  void unknownProductAndTakenIdAreRefused() {
    devices.register(OPERATOR, spec("a"));
    assertThatThrownBy(
            () ->
                devices.register(
                    OPERATOR,
                    new NewDevice(
                        new ControllerId("b"),
                        new ProductName("nope"),
                        Set.of(),
                        Optional.empty())))
        .isInstanceOf(SluiceException.NotFound.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> devices.register(OPERATOR, spec("a")))
        .isInstanceOf(SluiceException.Conflict.class);
    assertThat(devices.count(OPERATOR, Optional.empty(), "")).isEqualTo(1);
  }

  @Test
  void aBulkCsvWithBadRowsReportsEveryOneAndRegistersNothing() {
    devices.register(OPERATOR, spec("taken"));
    int auditBefore = audit().size();
    String csv =
        """
        controller_id,product,tags
        good-1,acme-phone,eu;beta
        bad id!,acme-phone,
        good-2,acme-watch,
        good-1,acme-phone,
        taken,acme-phone,
        good-3,acme-phone,bad tag
        good-4,acme-phone
        "unclosed,acme-phone,
        good-5,acme-phone,ok
        """;

    assertThatThrownBy(() -> devices.registerAll(OPERATOR, DeviceImport.csv(utf8(csv))))
        .isInstanceOfSatisfying(
            SluiceException.InvalidInput.class,
            e -> {
              assertThat(e.getMessage()).contains("7 of 9 rows are invalid");
              assertThat(e.violations())
                  .extracting(Violation::location)
                  .containsExactly(
                      "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
              assertThat(e.violations().get(1).message()).contains("no product 'acme-watch'");
              assertThat(e.violations().get(2).message()).contains("repeats line 2");
              assertThat(e.violations().get(3).message()).contains("already registered");
              assertThat(e.violations().get(4).message()).contains("a tag is");
              assertThat(e.violations().get(5).message()).contains("2 fields");
            });
    assertThat(devices.count(OPERATOR, Optional.empty(), "")).isEqualTo(1);
    assertThat(audit()).hasSize(auditBefore);
  }

  @Test
  void aGoodBulkCsvRegistersEveryDeviceAndReturnsTheGeneratedTokens() {
    String csv =
        "\uFEFFproduct,controller_id,token,tags\r\n"
            + "acme-phone,c-1,,eu\r\n"
            + "acme-phone,c-2,operator-token-0123456789,\r\n"
            + "\r\n"
            + "acme-phone,c-3,,\"eu;us\"\r\n";

    List<RegisteredDevice> registered = devices.registerAll(OPERATOR, DeviceImport.csv(utf8(csv)));

    assertThat(registered)
        .extracting(r -> r.device().id().value())
        .containsExactly("c-1", "c-2", "c-3");
    assertThat(registered.get(0).generatedToken()).isPresent();
    assertThat(registered.get(1).generatedToken()).isEmpty();
    assertThat(devices.device(OPERATOR, new ControllerId("c-3")).tags())
        .containsExactly("eu", "us");
    AuditEvent event = audit().get(audit().size() - 1);
    assertThat(event.action()).isEqualTo("device.bulk-registered");
    assertThat(event.detail().get("count").asInt()).isEqualTo(3);
  }

  @Test
  void aBulkJsonListIsCheckedRowByRow() {
    String json =
        """
        [{"controller_id": "j-1", "product": "acme-phone", "tags": ["eu"]},
         {"controller_id": "j-2", "product": "acme-phone", "colour": "red"},
         {"controller_id": "j-3", "product": "acme-phone", "tags": "eu"},
         {"product": "acme-phone"},
         "j-5"]
        """;
    assertThatThrownBy(() -> devices.registerAll(OPERATOR, DeviceImport.json(utf8(json))))
        .isInstanceOfSatisfying(
            SluiceException.InvalidInput.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::location)
                    .containsExactly("/1", "/2", "/3", "/4"));

    List<RegisteredDevice> ok =
        devices.registerAll(
            OPERATOR,
            DeviceImport.json(
                utf8(
                    "[{\"controller_id\": \"j-1\", \"product\": \"acme-phone\", \"tags\": [\"eu\"]}]")));
    assertThat(ok).hasSize(1);
  }

  @Test
  void badHeadersAndEmptyFilesAreRefused() {
    assertThatThrownBy(() -> DeviceImport.csv(utf8("controller_id,colour\na,b\n")))
        .hasMessageContaining("unknown column 'colour'");
    assertThatThrownBy(() -> DeviceImport.csv(utf8("controller_id,tags\na,b\n")))
        .hasMessageContaining("must name controller_id and product");
    assertThatThrownBy(() -> DeviceImport.csv(utf8("\n\n"))).hasMessageContaining("empty");
    assertThatThrownBy(
            () -> devices.registerAll(OPERATOR, DeviceImport.csv(utf8("controller_id,product\n"))))
        .hasMessageContaining("no devices");
    assertThatThrownBy(() -> DeviceImport.json(utf8("{}"))).hasMessageContaining("array");
  }

  @Test
  void listingPagesThroughTheFilteredDevicesWithACursor() {
    List<String> csv = new ArrayList<>(List.of("controller_id,product,tags"));
    for (int i = 0; i < 25; i++) {
      csv.add(String.format("d%02d,acme-phone,%s", i, i % 2 == 0 ? "even" : "odd"));
    }
    devices.registerAll(OPERATOR, DeviceImport.csv(utf8(String.join("\n", csv))));

    List<String> seen = new ArrayList<>();
    Optional<ControllerId> after = Optional.empty();
    int pages = 0;
    do {
      DevicePage page = devices.list(AUDITOR, Optional.of(PHONE), "tag==even", after, 5);
      page.devices().forEach(d -> seen.add(d.id().value()));
      after = page.next();
      pages++;
    } while (after.isPresent());

    assertThat(seen).hasSize(13).startsWith("d00", "d02").endsWith("d24");
    assertThat(pages).isEqualTo(3);
    assertThat(devices.count(AUDITOR, Optional.empty(), "tag==odd")).isEqualTo(12);
    assertThatThrownBy(() -> devices.list(AUDITOR, Optional.empty(), "", Optional.empty(), 0))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThatThrownBy(() -> devices.list(AUDITOR, Optional.empty(), "tag=", Optional.empty(), 5))
        .hasMessageContaining("position 4");
  }

  @Test
  void taggingAddsAndRemovesAndIsAudited() {
    devices.register(OPERATOR, spec("a", "old", "keep"));

    Device tagged =
        devices.tag(OPERATOR, new ControllerId("a"), Set.of("new"), Set.of("old", "absent"));

    assertThat(tagged.tags()).containsExactly("keep", "new");
    AuditEvent event = audit().get(audit().size() - 1);
    assertThat(event.action()).isEqualTo("device.tagged");
    assertThat(event.detail().get("added").get(0).asText()).isEqualTo("new");
    assertThat(event.detail().get("removed").size()).isEqualTo(1);
    assertThatThrownBy(() -> devices.tag(OPERATOR, new ControllerId("a"), Set.of("x"), Set.of("x")))
        .hasMessageContaining("both added and removed");
    assertThatThrownBy(
            () -> devices.tag(OPERATOR, new ControllerId("a"), Set.of("bad tag"), Set.of()))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThatThrownBy(() -> devices.tag(OPERATOR, new ControllerId("nope"), Set.of("x"), Set.of()))
        .isInstanceOf(SluiceException.NotFound.class);
  }
}
