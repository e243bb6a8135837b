package dev.sluice.store;

import static dev.sluice.store.Fixtures.EVIL;
import static dev.sluice.store.Fixtures.T0;
import static dev.sluice.store.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.core.PageCursor;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditFilters;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.auth.Role;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseFilters;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.token.ApiToken;
import dev.sluice.core.token.TokenId;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The persistence contract, run unchanged against every dialect by one subclass each ({@link
 * SqliteRepositoriesTest}, {@link PostgresRepositoriesTest}). Each test gets a fresh database;
 * after each, every pooled connection must be back (a leak check).
 */
abstract class RepositoriesContract {
  private TestDatabase test;
  protected Database db;
  protected Transactions tx;

  protected abstract Dialect dialect();

  @BeforeEach
  void openFreshDatabase() {
    test = TestDatabases.fresh(dialect());
    db = test.database();
    tx = new JdbiTransactions(db);
  }

  @AfterEach
  void everyConnectionIsReturnedAndTheDatabaseIsRemoved() {
    if (test == null) {
      return;
    }
    try {
      assertThat(db.activeConnections()).as("connections still borrowed (a leak)").isZero();
    } finally {
      test.close();
    }
  }

  // ---- products and certifiers

  @Test
  void productRoundTripsWithItsCertifierOrderAndStandards() {
    Certifier b = Fixtures.certifier("lab-b");
    Certifier a = Fixtures.certifier("lab-a");
    Product product = Fixtures.product("acme-phone", List.of(b, a), 2);
    tx.write(
        repos -> {
          repos.certifiers().insert(b);
          repos.certifiers().insert(a);
          repos.products().insert(product);
          return null;
        });

    Optional<Product> found = product(product.name());

    assertThat(found).contains(product);
    assertThat(found.orElseThrow().certifiers())
        .containsExactly(new CertifierId("lab-b"), new CertifierId("lab-a"));
    assertThat(product(new ProductName("nope"))).isEmpty();
  }

  @Test
  void productsAreListedByName() {
    Certifier lab = Fixtures.certifier("lab");
    Product zeta = Fixtures.product("zeta", List.of(lab), 1);
    Product alpha = Fixtures.product("alpha", List.of(lab), 1);
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(zeta);
          repos.products().insert(alpha);
          return null;
        });

    assertThat(products()).containsExactly(alpha, zeta);
  }

  @Test
  void aProductNameIsTakenOnce() {
    Certifier lab = Fixtures.certifier("lab");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          return null;
        });

    assertConflict(() -> insertProduct(product), ConflictKind.ALREADY_EXISTS);
    assertThat(products()).containsExactly(product);
  }

  @Test
  void certifierRoundTripsWithItsKeysInRegistrationOrder() {
    VerificationKey first = TestKeys.ed25519().verificationKey();
    VerificationKey second = TestKeys.ecdsaP256().verificationKey();
    Certifier certifier =
        new Certifier(new CertifierId("lab-a"), "Lab A", List.of(first, second), T0);
    VerificationKey rotated = TestKeys.ed25519().verificationKey();

    tx.write(
        repos -> {
          repos.certifiers().insert(certifier);
          repos.certifiers().addKey(certifier.id(), rotated, at(10));
          return null;
        });

    Certifier found = certifier(certifier.id()).orElseThrow();
    assertThat(found.displayName()).isEqualTo("Lab A");
    assertThat(found.createdAt()).isEqualTo(T0);
    assertThat(found.keys()).containsExactly(first, second, rotated);
    assertThat(found.key(rotated.keyId())).contains(rotated);
  }

  @Test
  void certifiersAreListedById() {
    Certifier b = Fixtures.certifier("lab-b");
    Certifier a = Fixtures.certifier("lab-a");
    tx.write(
        repos -> {
          repos.certifiers().insert(b);
          repos.certifiers().insert(a);
          return null;
        });

    assertThat(certifiers()).containsExactly(a, b);
  }

  @Test
  void aCertifierIdAndAKeyAreEachRegisteredOnce() {
    Certifier a = Fixtures.certifier("lab-a");
    tx.write(
        repos -> {
          repos.certifiers().insert(a);
          return null;
        });
    Certifier sameId = Fixtures.certifier("lab-a");
    Certifier stealsKey = new Certifier(new CertifierId("lab-b"), "B", a.keys(), T0);

    assertConflict(() -> insertCertifier(sameId), ConflictKind.ALREADY_EXISTS);
    assertConflict(() -> insertCertifier(stealsKey), ConflictKind.ALREADY_EXISTS);
    assertConflict(
        () -> tx.write(repos -> addKey(repos.certifiers(), a.id(), a.keys().getFirst())),
        ConflictKind.ALREADY_EXISTS);
    assertThat(certifiers()).containsExactly(a);
  }

  @Test
  void addingAKeyToAnUnknownCertifierIsNotFound() {
    assertThatThrownBy(
            () ->
                tx.write(
                    repos -> addKey(repos.certifiers(), new CertifierId("ghost"), Fixtures.key())))
        .isInstanceOf(SluiceException.NotFound.class);
  }

  // ---- releases

  @Test
  void draftReleaseRoundTripsAndKeepsTheManifestBytes() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    insertRelease(draft);

    Release found = release(draft.id()).orElseThrow();

    assertThat(found).isEqualTo(draft);
    assertThat(found.manifest().rawBytes()).isEqualTo(draft.manifest().rawBytes());
    assertThat(Sha256.of(found.manifest().rawBytes())).isEqualTo(draft.manifestSha256());
    assertThat(release(Fixtures.releaseId())).isEmpty();
  }

  @Test
  void statusNoteIsSetThenReplaced() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    insertRelease(draft);
    var first =
        new dev.sluice.core.release.StatusNote(
            "Waiting for the lab.",
            Optional.of(java.time.LocalDate.of(2027, 1, 15)),
            "rm",
            Fixtures.at(1));
    var second =
        new dev.sluice.core.release.StatusNote(
            "Lab done.", Optional.empty(), "rm2", Fixtures.at(2));

    tx.write(
        repos -> {
          repos.releases().saveStatusNote(draft.id(), first);
          return null;
        });
    Optional<dev.sluice.core.release.StatusNote> afterFirst =
        tx.read(repos -> repos.releases().statusNote(draft.id()));
    assertThat(afterFirst).contains(first);
    tx.write(
        repos -> {
          repos.releases().saveStatusNote(draft.id(), second);
          return null;
        });

    Optional<dev.sluice.core.release.StatusNote> afterSecond =
        tx.read(repos -> repos.releases().statusNote(draft.id()));
    java.util.Map<ReleaseId, dev.sluice.core.release.StatusNote> all =
        tx.read(repos -> repos.releases().statusNotes(List.of(draft.id(), Fixtures.releaseId())));
    java.util.Map<ReleaseId, dev.sluice.core.release.StatusNote> noneAsked =
        tx.read(repos -> repos.releases().statusNotes(List.of()));
    Optional<dev.sluice.core.release.StatusNote> none =
        tx.read(repos -> repos.releases().statusNote(Fixtures.releaseId()));
    assertThat(afterSecond).contains(second);
    assertThat(all).containsExactly(java.util.Map.entry(draft.id(), second));
    assertThat(noneAsked).isEmpty();
    assertThat(none).isEmpty();
  }

  @Test
  void checkedReleaseWithArtifactsRoundTrips() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    Release checked =
        new Release(
            draft.id(),
            draft.product(),
            draft.version(),
            ReleaseState.CHECKED,
            draft.manifest(),
            draft.manifestSha256(),
            List.of(Fixtures.artifact("boot.img", "b"), Fixtures.artifact("rootfs.img", "r")),
            Optional.of(Fixtures.check("acme-phone")),
            EVIL,
            T0,
            at(90));
    insertRelease(checked);

    assertThat(release(checked.id())).contains(checked);
  }

  @Test
  void artifactsAreAddedOnceByNameAndListedByName() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    insertRelease(draft);
    Artifact rootfs = Fixtures.artifact("rootfs.img", "root");
    Artifact boot = Fixtures.artifact("boot.img", "boot");

    tx.write(
        repos -> {
          repos.releases().addArtifact(draft.id(), rootfs, at(5));
          repos.releases().addArtifact(draft.id(), boot, at(6));
          return null;
        });

    Release found = release(draft.id()).orElseThrow();
    assertThat(found.artifacts()).containsExactly(boot, rootfs);
    assertThat(found.updatedAt()).isEqualTo(at(6));
    Artifact again = Fixtures.artifact("rootfs.img", "other content");
    assertConflict(
        () -> tx.write(repos -> addArtifact(repos.releases(), draft.id(), again)),
        ConflictKind.ALREADY_EXISTS);
    assertThat(release(draft.id()).orElseThrow().artifacts()).containsExactly(boot, rootfs);
  }

  @Test
  void aVersionIsReleasedOncePerProduct() {
    ProductName phone = setUpProduct("acme-phone").name();
    ProductName tablet = setUpProduct("acme-tablet").name();
    insertRelease(Fixtures.draft(phone, "1.2.0"));

    assertConflict(
        () -> insertRelease(Fixtures.draft(phone, "1.2.0")), ConflictKind.ALREADY_EXISTS);
    insertRelease(Fixtures.draft(tablet, "1.2.0"));
    insertRelease(Fixtures.draft(phone, "1.2.0+build.7"));
    assertThat(releases(Optional.of(phone), Optional.empty(), 10)).hasSize(2);
  }

  @Test
  void saveCheckRecordsTheReportAndMovesTheState() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    insertRelease(draft);

    tx.write(
        repos -> {
          repos
              .releases()
              .saveCheck(draft.id(), Fixtures.check("acme-phone"), ReleaseState.CHECKED, at(60));
          return null;
        });

    Release found = release(draft.id()).orElseThrow();
    assertThat(found.state()).isEqualTo(ReleaseState.CHECKED);
    assertThat(found.check()).contains(Fixtures.check("acme-phone"));
    assertThat(found.updatedAt()).isEqualTo(at(60));
  }

  @Test
  void transitionHappensOnlyFromTheExpectedState() {
    Release checked =
        Fixtures.withState(
            Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0"), ReleaseState.CHECKED);
    insertRelease(checked);

    boolean wrongFrom =
        tx.write(
            repos ->
                repos
                    .releases()
                    .transition(
                        checked.id(), ReleaseState.CERTIFIED, ReleaseState.PUBLISHED, at(1)));
    boolean rightFrom =
        tx.write(
            repos ->
                repos
                    .releases()
                    .transition(checked.id(), ReleaseState.CHECKED, ReleaseState.CERTIFIED, at(2)));

    assertThat(wrongFrom).isFalse();
    assertThat(rightFrom).isTrue();
    Release found = release(checked.id()).orElseThrow();
    assertThat(found.state()).isEqualTo(ReleaseState.CERTIFIED);
    assertThat(found.updatedAt()).isEqualTo(at(2));
  }

  @Test
  void releasesAreListedNewestFirstFilteredAndLimited() {
    ProductName phone = setUpProduct("acme-phone").name();
    ProductName tablet = setUpProduct("acme-tablet").name();
    Release oldest = created(Fixtures.draft(phone, "1.0.0"), 1);
    Release middle =
        created(Fixtures.withState(Fixtures.draft(phone, "1.1.0"), ReleaseState.CHECKED), 2);
    Release newest = created(Fixtures.draft(tablet, "2.0.0"), 3);
    List.of(middle, newest, oldest).forEach(this::insertRelease);

    assertThat(ids(Optional.empty(), Optional.empty(), 10))
        .containsExactly(newest.id(), middle.id(), oldest.id());
    assertThat(ids(Optional.of(phone), Optional.empty(), 10))
        .containsExactly(middle.id(), oldest.id());
    assertThat(ids(Optional.of(phone), Optional.of(ReleaseState.DRAFT), 10))
        .containsExactly(oldest.id());
    assertThat(ids(Optional.empty(), Optional.of(ReleaseState.CHECKED), 10))
        .containsExactly(middle.id());
    assertThat(ids(Optional.empty(), Optional.empty(), 2))
        .containsExactly(newest.id(), middle.id());
  }

  @Test
  void releasePagesFollowTheirCursorAndStayStableWhileReleasesAreAdded() {
    ProductName phone = setUpProduct("acme-phone").name();
    // Two releases created in the same millisecond: the id breaks the tie, none is lost.
    Release a = created(Fixtures.draft(phone, "1.0.0"), 1);
    Release b = created(Fixtures.draft(phone, "1.1.0"), 2);
    Release c = created(Fixtures.draft(phone, "1.2.0"), 2);
    Release d = created(Fixtures.draft(phone, "1.3.0"), 3);
    List.of(a, b, c, d).forEach(this::insertRelease);
    List<ReleaseId> all = ids(Optional.empty(), Optional.empty(), 10);

    List<Release> first = releases(Optional.empty(), Optional.empty(), 2);
    PageCursor cursor = new PageCursor(first.getLast().createdAt(), first.getLast().id().value());
    // A release created between two pages lands before the first page, not in the next one.
    insertRelease(created(Fixtures.draft(phone, "2.0.0"), 4));
    List<ReleaseId> second =
        tx
            .read(
                repos ->
                    repos
                        .releases()
                        .list(Optional.empty(), Optional.empty(), Optional.of(cursor), 10))
            .stream()
            .map(Release::id)
            .toList();

    assertThat(first.stream().map(Release::id).toList())
        .containsExactlyElementsOf(all.subList(0, 2));
    assertThat(second).containsExactlyElementsOf(all.subList(2, 4));
    // The cursor combines with the filters and the limit.
    assertThat(
            tx
                .read(
                    repos ->
                        repos
                            .releases()
                            .list(Optional.of(phone), Optional.empty(), Optional.of(cursor), 1))
                .stream()
                .map(Release::id))
        .containsExactly(all.get(2));
  }

  @Test
  void latestInPicksTheHighestVersionByPrecedenceNotByText() {
    ProductName phone = setUpProduct("acme-phone").name();
    ProductName tablet = setUpProduct("acme-tablet").name();
    Release v1_9 = Fixtures.withState(Fixtures.draft(phone, "1.9.0"), ReleaseState.PUBLISHED);
    Release v1_10 = Fixtures.withState(Fixtures.draft(phone, "1.10.0"), ReleaseState.PUBLISHED);
    Release v1_10_rc =
        Fixtures.withState(Fixtures.draft(phone, "1.10.0-rc.1"), ReleaseState.PUBLISHED);
    Release v2_draft = Fixtures.draft(phone, "2.0.0");
    Release otherProduct =
        Fixtures.withState(Fixtures.draft(tablet, "9.0.0"), ReleaseState.PUBLISHED);
    List.of(v1_10, v1_9, v1_10_rc, v2_draft, otherProduct).forEach(this::insertRelease);

    assertThat(latest(phone, List.of(ReleaseState.PUBLISHED))).contains(v1_10.id());
    assertThat(latest(phone, List.of(ReleaseState.PUBLISHED, ReleaseState.DRAFT)))
        .contains(v2_draft.id());
    assertThat(latest(phone, List.of(ReleaseState.REVOKED))).isEmpty();
    assertThat(latest(phone, List.of())).isEmpty();
  }

  @Test
  void findForUpdateReturnsTheRelease() {
    Release draft = Fixtures.draft(setUpProduct("acme-phone").name(), "1.2.0");
    insertRelease(draft);

    assertThat(findForUpdate(draft.id())).contains(draft);
    assertThat(findForUpdate(Fixtures.releaseId())).isEmpty();
  }

  // ---- sign-offs

  @Test
  void signOffsRoundTripInTheOrderTheyWereMade() {
    Product product = setUpProduct("acme-phone", 3, 2);
    Release release = checkedRelease(product);
    List<Certifier> labs = certifiersOf(product);
    SignOff second = Fixtures.approval(release.id(), labs.get(0), at(20));
    SignOff first = Fixtures.rejection(release.id(), labs.get(2), EVIL, at(10));

    tx.write(
        repos -> {
          repos.signOffs().insert(second);
          repos.signOffs().insert(first);
          return null;
        });

    assertThat(signOffs(release.id())).containsExactly(first, second);
  }

  @Test
  void aCertifierDecidesOncePerRelease() {
    Product product = setUpProduct("acme-phone", 2, 1);
    Release release = checkedRelease(product);
    Certifier lab = certifiersOf(product).getFirst();
    SignOff approval = Fixtures.approval(release.id(), lab, at(10));
    tx.write(
        repos -> {
          repos.signOffs().insert(approval);
          return null;
        });

    SignOff changedMind = Fixtures.rejection(release.id(), lab, "on second thought", at(11));
    assertConflict(
        () -> tx.write(repos -> insertSignOff(repos.signOffs(), changedMind)),
        ConflictKind.ALREADY_DECIDED);
    assertThat(signOffs(release.id())).containsExactly(approval);
  }

  @Test
  void concurrentSignOffsAreSerializedAndCountedExactlyOnce() throws Exception {
    int certifiers = 6;
    int threshold = 3;
    Product product = setUpProduct("acme-phone", certifiers, threshold);
    Release release = checkedRelease(product);
    List<Certifier> labs = certifiersOf(product);

    // Each worker does what certification does: lock the release, record its sign-off, count,
    // and certify when the count reaches the threshold.
    List<Tally> tallies =
        runConcurrently(
            labs.stream()
                .<Callable<Tally>>map(lab -> () -> signOffAndTally(release.id(), lab, threshold))
                .toList());

    assertThat(tallies.stream().map(Tally::countAfter))
        .as("each sign-off saw every earlier one")
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, certifiers).boxed().toList());
    assertThat(tallies.stream().filter(Tally::certified))
        .singleElement()
        .extracting(Tally::countAfter)
        .isEqualTo(threshold);
    assertThat(signOffs(release.id())).hasSize(certifiers);
    assertThat(release(release.id()).orElseThrow().state()).isEqualTo(ReleaseState.CERTIFIED);
  }

  @Test
  void aCertifierRacingItselfIsRecordedOnce() throws Exception {
    Product product = setUpProduct("acme-phone", 2, 2);
    Release release = checkedRelease(product);
    Certifier lab = certifiersOf(product).getFirst();
    int attempts = 5;

    List<Optional<ConflictKind>> outcomes =
        runConcurrently(
            IntStream.range(0, attempts)
                .<Callable<Optional<ConflictKind>>>mapToObj(
                    i ->
                        () -> {
                          try {
                            signOffAndTally(release.id(), lab, 2);
                            return Optional.empty();
                          } catch (SluiceException.Conflict e) {
                            return Optional.of(e.conflictKind());
                          }
                        })
                .toList());

    assertThat(outcomes.stream().filter(Optional::isEmpty)).hasSize(1);
    assertThat(outcomes.stream().flatMap(Optional::stream))
        .hasSize(attempts - 1)
        .containsOnly(ConflictKind.ALREADY_DECIDED);
    assertThat(signOffs(release.id())).hasSize(1);
  }

  // ---- audit trail

  @Test
  void releasesAreFilteredByTheirFieldsAndPagedInEitherCreationOrder() {
    ProductName phone = setUpProduct("acme-phone").name();
    ProductName tablet = setUpProduct("acme-tablet").name();
    Release a = created(Fixtures.draft(phone, "1.0.0"), 1);
    Release b =
        created(Fixtures.withState(Fixtures.draft(phone, "1.1.0"), ReleaseState.PUBLISHED), 2);
    Release c =
        created(Fixtures.withState(Fixtures.draft(tablet, "1.1.0"), ReleaseState.PUBLISHED), 2);
    Release d =
        created(Fixtures.withState(Fixtures.draft(phone, "2.0.0"), ReleaseState.REVOKED), 3);
    List.of(a, b, c, d).forEach(this::insertRelease);

    assertThat(filtered("product==acme-phone;state=in=(published,revoked)", SortOrder.DESCENDING))
        .containsExactly(d.id(), b.id());
    assertThat(filtered("version==1.*", SortOrder.ASCENDING))
        .containsExactlyElementsOf(
            List.of(a, b, c).stream()
                .sorted(
                    java.util.Comparator.comparing(Release::createdAt)
                        .thenComparing(r -> r.id().value()))
                .map(Release::id)
                .toList());
    assertThat(filtered("created=gt=" + at(1) + ",state==draft", SortOrder.DESCENDING)).hasSize(4);
    assertThat(filtered("created==" + at(3), SortOrder.DESCENDING)).containsExactly(d.id());
    assertThat(filtered("product!=acme-phone", SortOrder.DESCENDING)).containsExactly(c.id());
    // Values are bound: text that would be SQL matches nothing (or only itself).
    assertThat(filtered("state==draft;version==\"1.0.0' OR '1'='1\"", SortOrder.DESCENDING))
        .isEmpty();
    assertThat(filtered("product==\"%\",version==\"_.0.0\"", SortOrder.DESCENDING)).isEmpty();

    // Oldest first, two per page: the cursor goes on to newer releases, none is lost or repeated.
    List<ReleaseId> pages = new ArrayList<>();
    Optional<PageCursor> cursor = Optional.empty();
    do {
      Optional<PageCursor> after = cursor;
      List<Release> page =
          tx.read(
              repos ->
                  repos
                      .releases()
                      .list(
                          Optional.empty(),
                          Optional.empty(),
                          ReleaseFilters.parse("product==acme-*"),
                          SortOrder.ASCENDING,
                          after,
                          2));
      page.forEach(r -> pages.add(r.id()));
      cursor =
          page.size() < 2
              ? Optional.empty()
              : Optional.of(
                  new PageCursor(page.getLast().createdAt(), page.getLast().id().value()));
    } while (cursor.isPresent());
    List<ReleaseId> newestFirst = ids(Optional.empty(), Optional.empty(), 10);
    assertThat(pages).containsExactlyElementsOf(newestFirst.reversed());
  }

  private List<ReleaseId> filtered(String filter, SortOrder order) {
    return tx
        .read(
            repos ->
                repos
                    .releases()
                    .list(
                        Optional.empty(),
                        Optional.empty(),
                        ReleaseFilters.parse(filter),
                        order,
                        Optional.empty(),
                        10))
        .stream()
        .map(Release::id)
        .toList();
  }

  @Test
  void auditEventsAreFilteredAndPagedNewestFirstOrOldestFirst() {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String subject = i % 2 == 0 ? "release/r" + i : "product/p" + i;
      String action = i % 2 == 0 ? "release.created" : "product.updated";
      AuditEvent draft = Fixtures.event(subject, action, at(i));
      events.add(tx.write(repos -> repos.audit().append(draft)));
    }
    var filter = AuditFilters.parse("type==release.*");

    List<AuditEvent> newest =
        audit(new AuditQuery(Optional.empty(), filter, SortOrder.DESCENDING, 0, 1));
    assertThat(newest).containsExactly(events.get(3));
    assertThat(
            audit(
                new AuditQuery(
                    Optional.empty(), filter, SortOrder.DESCENDING, newest.getLast().seq(), 10)))
        .containsExactly(events.get(1));
    assertThat(
            audit(
                new AuditQuery(
                    Optional.empty(), filter, SortOrder.ASCENDING, events.get(1).seq(), 10)))
        .containsExactly(events.get(3));
    assertThat(
            audit(
                new AuditQuery(
                    Optional.empty(),
                    AuditFilters.parse(
                        "at=le=" + at(2) + ",action=out=(release.created);actor==admin"),
                    SortOrder.ASCENDING,
                    0,
                    10)))
        .containsExactly(events.get(0), events.get(1), events.get(2), events.get(4));
    assertThat(
            audit(
                new AuditQuery(
                    Optional.of("product/p3"),
                    AuditFilters.parse("subject==product/*"),
                    SortOrder.DESCENDING,
                    0,
                    10)))
        .containsExactly(events.get(2));
    assertThat(
            audit(
                new AuditQuery(
                    Optional.empty(),
                    AuditFilters.parse("actor==\"admin' OR 1=1 --\""),
                    SortOrder.DESCENDING,
                    0,
                    10)))
        .isEmpty();
  }

  @Test
  void auditEventsGetIncreasingSequenceNumbersAndListInOrder() {
    AuditEvent first =
        tx.write(
            repos -> repos.audit().append(Fixtures.event("product/a", "product.created", at(1))));
    AuditEvent second =
        tx.write(
            repos -> repos.audit().append(Fixtures.event("release/x", "release.created", at(2))));
    AuditEvent third =
        tx.write(
            repos -> repos.audit().append(Fixtures.event("product/a", "product.updated", at(3))));

    assertThat(second.seq()).isGreaterThan(first.seq());
    assertThat(third.seq()).isGreaterThan(second.seq());
    assertThat(first.detail())
        .isEqualTo(Fixtures.event("product/a", "product.created", at(1)).detail());
    assertThat(audit(new AuditQuery(Optional.empty(), 0, 100)))
        .containsExactly(first, second, third);
    assertThat(audit(new AuditQuery(Optional.of("product/a"), 0, 100)))
        .containsExactly(first, third);
    assertThat(audit(new AuditQuery(Optional.empty(), first.seq(), 1))).containsExactly(second);
    assertThat(audit(new AuditQuery(Optional.of("nothing"), 0, 100))).isEmpty();
  }

  @Test
  void auditEventsCannotBeUpdatedOrDeleted() {
    AuditEvent event = tx.write(repos -> repos.audit().append(Fixtures.event("s", "a", T0)));

    assertThatThrownBy(
            () -> db.jdbi().useHandle(h -> h.execute("UPDATE audit_events SET actor = 'mallory'")))
        .isInstanceOf(JdbiException.class)
        .hasStackTraceContaining("append-only");
    assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_events")))
        .isInstanceOf(JdbiException.class)
        .hasStackTraceContaining("append-only");
    if (dialect() == Dialect.POSTGRESQL) {
      assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("TRUNCATE audit_events")))
          .isInstanceOf(JdbiException.class)
          .hasStackTraceContaining("append-only");
    }
    assertThat(audit(new AuditQuery(Optional.empty(), 0, 10))).containsExactly(event);
  }

  @Test
  void auditEventsAppendedConcurrentlyAllGetDistinctSequenceNumbers() throws Exception {
    List<AuditEvent> appended =
        runConcurrently(
            IntStream.range(0, 8)
                .<Callable<AuditEvent>>mapToObj(
                    i ->
                        () ->
                            tx.write(
                                repos -> repos.audit().append(Fixtures.event("s", "a" + i, at(i)))))
                .toList());

    assertThat(appended.stream().map(AuditEvent::seq).distinct()).hasSize(8);
    assertThat(audit(new AuditQuery(Optional.empty(), 0, 100)))
        .containsExactlyInAnyOrderElementsOf(appended);
  }

  // ---- tokens

  @Test
  void tokensRoundTripAndAreCounted() {
    Certifier lab = Fixtures.certifier("lab");
    insertCertifier(lab);
    ApiToken admin =
        new ApiToken(
            new TokenId("01JADM00000000000000000000"),
            sha("admin"),
            Role.ADMIN,
            Optional.empty(),
            Optional.empty(),
            "bootstrap admin",
            T0,
            Optional.empty(),
            Optional.empty());
    ApiToken certifier =
        new ApiToken(
            new TokenId("01JCERT0000000000000000000"),
            sha("cert"),
            Role.CERTIFIER,
            Optional.of(lab.id()),
            Optional.empty(),
            EVIL,
            at(1),
            Optional.of(at(5)),
            Optional.of(at(2)));
    assertThat(tokenCount()).isZero();

    tx.write(
        repos -> {
          repos.tokens().insert(admin);
          repos.tokens().insert(certifier);
          return null;
        });

    assertThat(token(sha("admin"))).contains(admin);
    assertThat(token(sha("cert"))).contains(certifier);
    assertThat(token(sha("unknown"))).isEmpty();
    assertThat(tokenCount()).isEqualTo(2);
    assertConflict(
        () ->
            tx.write(
                repos -> {
                  repos.tokens().insert(admin);
                  return null;
                }),
        ConflictKind.ALREADY_EXISTS);
  }

  @Test
  void tokensAreListedByIdRevokedOnceAndReportedWhenTheyEnd() {
    ApiToken admin =
        new ApiToken(
            new TokenId("01JADM00000000000000000000"),
            sha("admin"),
            Role.ADMIN,
            Optional.empty(),
            Optional.empty(),
            "ops",
            T0,
            Optional.empty(),
            Optional.empty());
    ApiToken expiring =
        new ApiToken(
            new TokenId("01JB0T00000000000000000000"),
            sha("bot"),
            Role.OPERATOR,
            Optional.empty(),
            Optional.empty(),
            "bot",
            at(1),
            Optional.of(at(10)),
            Optional.empty());
    tx.write(
        repos -> {
          repos.tokens().insert(admin);
          repos.tokens().insert(expiring);
          return null;
        });

    List<ApiToken> all = tx.read(repos -> repos.tokens().list());
    assertThat(all).containsExactly(admin, expiring);
    Optional<ApiToken> byId = tx.read(repos -> repos.tokens().findById(expiring.id()));
    assertThat(byId).contains(expiring);
    List<Sha256> early = tx.read(repos -> repos.tokens().invalidatedBetween(at(2), at(5)));
    assertThat(early).isEmpty();
    List<Sha256> expired = tx.read(repos -> repos.tokens().invalidatedBetween(at(9), at(11)));
    assertThat(expired).containsExactly(sha("bot"));
    boolean first = tx.write(repos -> repos.tokens().revoke(admin.id(), at(20)));
    boolean second = tx.write(repos -> repos.tokens().revoke(admin.id(), at(21)));
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(token(sha("admin")).orElseThrow().revokedAt()).contains(at(20));
    List<Sha256> revoked = tx.read(repos -> repos.tokens().invalidatedBetween(at(19), at(30)));
    assertThat(revoked).containsExactly(sha("admin"));
  }

  // ---- keyset pages of products, certifiers and tokens

  @Test
  void productPagesFollowTheNameAndLoseOrRepeatNoneWhileProductsAreAdded() {
    Certifier lab = Fixtures.certifier("lab");
    insertCertifier(lab);
    List<String> before = List.of("p-b", "p-d", "p-f", "p-h", "p-j");
    before.forEach(n -> insertProduct(Fixtures.product(n, List.of(lab), 1)));
    List<String> added = new ArrayList<>();

    List<String> seen =
        pageThrough(
            (after, limit) ->
                tx.read(repos -> repos.products().list(after.map(ProductName::new), limit)),
            p -> p.name().value(),
            () -> {
              // One product before the cursor (the name order has passed it) and one after.
              for (String name : List.of("p-a" + added.size(), "p-z" + added.size())) {
                insertProduct(Fixtures.product(name, List.of(lab), 1));
                added.add(name);
              }
            });

    assertThat(seen).doesNotHaveDuplicates().containsAll(before).isSorted();
    assertThat(seen).containsAll(added.stream().filter(n -> n.startsWith("p-z")).toList());
    Product first = tx.read(repos -> repos.products().list(Optional.empty(), 1)).getFirst();
    assertThat(first).isEqualTo(products().getFirst());
  }

  @Test
  void certifierPagesFollowTheIdAndLoseOrRepeatNoneWhileCertifiersAreAdded() {
    List<String> before = List.of("lab-b", "lab-d", "lab-f", "lab-h", "lab-j");
    before.forEach(id -> insertCertifier(Fixtures.certifier(id)));
    List<String> added = new ArrayList<>();

    List<String> seen =
        pageThrough(
            (after, limit) ->
                tx.read(repos -> repos.certifiers().list(after.map(CertifierId::new), limit)),
            c -> c.id().value(),
            () -> {
              for (String id : List.of("lab-a" + added.size(), "lab-z" + added.size())) {
                insertCertifier(Fixtures.certifier(id));
                added.add(id);
              }
            });

    assertThat(seen).doesNotHaveDuplicates().containsAll(before).isSorted();
    assertThat(seen).containsAll(added.stream().filter(n -> n.startsWith("lab-z")).toList());
    List<Certifier> firstTwo = tx.read(repos -> repos.certifiers().list(Optional.empty(), 2));
    assertThat(firstTwo).containsExactlyElementsOf(certifiers().subList(0, 2));
  }

  @Test
  void tokenPagesFollowTheIdAndLoseOrRepeatNoneWhileTokensAreIssued() {
    List<ApiToken> before = IntStream.range(0, 5).mapToObj(i -> pagedToken(i * 2 + 1)).toList();
    before.forEach(this::insertToken);
    List<String> added = new ArrayList<>();

    List<String> seen =
        pageThrough(
            (after, limit) -> tx.read(repos -> repos.tokens().list(after.map(TokenId::new), limit)),
            t -> t.id().value(),
            () -> {
              // Issued later, so a later id: the pages still to come hold it.
              ApiToken next = pagedToken(100 + added.size());
              insertToken(next);
              added.add(next.id().value());
            });

    assertThat(seen)
        .doesNotHaveDuplicates()
        .containsAll(before.stream().map(t -> t.id().value()).toList())
        .containsAll(added)
        .isSorted();
  }

  /**
   * Reads a list two items a page, from the start to its end, calling {@code between} after each
   * page; the keys of what it read, in order.
   */
  private static <T> List<String> pageThrough(
      java.util.function.BiFunction<Optional<String>, Integer, List<T>> fetch,
      java.util.function.Function<T, String> key,
      Runnable between) {
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    for (int pages = 0; pages < 50; pages++) {
      List<T> page = fetch.apply(cursor, 2);
      page.forEach(item -> seen.add(key.apply(item)));
      if (page.size() < 2) {
        return seen;
      }
      cursor = Optional.of(key.apply(page.getLast()));
      if (pages < 3) {
        between.run();
      }
    }
    throw new AssertionError("the pages never ended: " + seen);
  }

  private static ApiToken pagedToken(int n) {
    return new ApiToken(
        new TokenId("01JA" + String.format("%022d", n)),
        sha("paged-" + n),
        Role.OPERATOR,
        Optional.empty(),
        Optional.empty(),
        "paged " + n,
        at(n),
        Optional.empty(),
        Optional.empty());
  }

  private void insertToken(ApiToken token) {
    tx.write(
        repos -> {
          repos.tokens().insert(token);
          return null;
        });
  }

  // ---- hostile text, transactions, failures

  @Test
  void sqlMetacharactersAndUnicodeAreStoredVerbatim() {
    Certifier lab = new Certifier(new CertifierId("lab"), EVIL, List.of(Fixtures.key()), T0);
    Product base = Fixtures.product("acme-phone", List.of(lab), 1);
    Product product =
        new Product(
            base.name(),
            EVIL + "\nsecond line\ttab",
            base.certifiers(),
            1,
            base.maxArtifactSize(),
            base.standards(),
            T0);
    insertCertifier(lab);
    insertProduct(product);
    Release release = Fixtures.draft(product.name(), "1.0.0");
    Release hostile =
        new Release(
            release.id(),
            release.product(),
            release.version(),
            release.state(),
            release.manifest(),
            release.manifestSha256(),
            List.of(),
            Optional.empty(),
            EVIL,
            T0,
            T0);
    insertRelease(hostile);
    AuditEvent event =
        tx.write(
            repos ->
                repos
                    .audit()
                    .append(
                        AuditEvent.draft(
                            T0,
                            EVIL,
                            EVIL,
                            EVIL,
                            JsonNodeFactory.instance.objectNode().put(EVIL, EVIL))));

    assertThat(certifier(lab.id()).orElseThrow().displayName()).isEqualTo(EVIL);
    assertThat(product(product.name())).contains(product);
    assertThat(release(hostile.id()).orElseThrow().createdBy()).isEqualTo(EVIL);
    assertThat(audit(new AuditQuery(Optional.of(EVIL), 0, 10))).containsExactly(event);
    assertThat(event.detail().get(EVIL).textValue()).isEqualTo(EVIL);
    assertThat(releases(Optional.empty(), Optional.empty(), 10))
        .as("the releases table is still there")
        .hasSize(1);
  }

  @Test
  void aFailingUnitOfWorkRollsBackEverythingAndPropagatesItsException() {
    Certifier lab = Fixtures.certifier("lab");
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                tx.write(
                    repos -> {
                      repos.certifiers().insert(lab);
                      repos.audit().append(Fixtures.event("certifier/lab", "registered", T0));
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(certifiers()).isEmpty();
    assertThat(audit(new AuditQuery(Optional.empty(), 0, 10))).isEmpty();
  }

  @Test
  void aConflictRollsBackTheWholeUnitOfWork() {
    Certifier lab = Fixtures.certifier("lab");
    insertCertifier(lab);
    Certifier other = Fixtures.certifier("other");

    assertConflict(
        () ->
            tx.write(
                repos -> {
                  repos.certifiers().insert(other);
                  repos.certifiers().insert(lab);
                  return null;
                }),
        ConflictKind.ALREADY_EXISTS);
    assertThat(certifiers()).containsExactly(lab);
  }

  @Test
  void databaseFailuresSurfaceAsStoreExceptions() {
    Release orphan = Fixtures.draft(new ProductName("no-such-product"), "1.0.0");

    assertThatThrownBy(() -> insertRelease(orphan))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("database operation failed");
  }

  @Test
  void readsDoNotWaitForAnOpenWriteTransaction() throws Exception {
    Certifier lab = Fixtures.certifier("lab");
    insertCertifier(lab);
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch finishWriting = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      Future<?> writer =
          pool.submit(
              () ->
                  tx.write(
                      repos -> {
                        repos.certifiers().insert(Fixtures.certifier("pending"));
                        writing.countDown();
                        await(finishWriting);
                        return null;
                      }));
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      try {
        // A read that queued behind the writer would wait here until the busy timeout.
        List<Certifier> seen = readWithin(5, this::certifiers);
        assertThat(seen).as("the read sees only committed data").containsExactly(lab);
      } finally {
        finishWriting.countDown();
      }
      writer.get(10, TimeUnit.SECONDS);
    }
    assertThat(certifiers()).hasSize(2);
  }

  // ---- helpers

  private record Tally(int countAfter, boolean certified) {}

  private Tally signOffAndTally(ReleaseId id, Certifier lab, int threshold) {
    return tx.write(
        repos -> {
          Release release = repos.releases().findForUpdate(id).orElseThrow();
          repos.signOffs().insert(Fixtures.approval(id, lab, at(100)));
          int count = repos.signOffs().list(id).size();
          boolean certified = false;
          if (count >= threshold && release.state() == ReleaseState.CHECKED) {
            certified =
                repos
                    .releases()
                    .transition(id, ReleaseState.CHECKED, ReleaseState.CERTIFIED, at(100));
            assertThat(certified).as("the locked release was still CHECKED").isTrue();
          }
          return new Tally(count, certified);
        });
  }

  private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  await(start);
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          throw new AssertionError("a concurrent task failed", e.getCause());
        }
      }
      return results;
    }
  }

  private static <T> T readWithin(int seconds, Callable<T> read) throws Exception {
    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      return pool.submit(read).get(seconds, TimeUnit.SECONDS);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting for the other threads");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertConflict(Runnable action, ConflictKind kind) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            SluiceException.Conflict.class, e -> assertThat(e.conflictKind()).isEqualTo(kind));
  }

  private static Sha256 sha(String secret) {
    return Sha256.of(secret.getBytes(StandardCharsets.UTF_8));
  }

  private Product setUpProduct(String name) {
    return setUpProduct(name, 1, 1);
  }

  /** A product with {@code certifiers} fresh certifiers ({@code <name>-lab-<i>}). */
  private Product setUpProduct(String name, int certifiers, int threshold) {
    List<Certifier> labs =
        IntStream.range(0, certifiers)
            .mapToObj(i -> Fixtures.certifier(name + "-lab-" + i))
            .toList();
    Product product = Fixtures.product(name, labs, threshold);
    tx.write(
        repos -> {
          labs.forEach(repos.certifiers()::insert);
          repos.products().insert(product);
          return null;
        });
    return product;
  }

  private List<Certifier> certifiersOf(Product product) {
    return tx.read(
        repos ->
            product.certifiers().stream()
                .map(id -> repos.certifiers().find(id).orElseThrow())
                .toList());
  }

  private Release checkedRelease(Product product) {
    Release release =
        Fixtures.withState(Fixtures.draft(product.name(), "1.0.0"), ReleaseState.CHECKED);
    insertRelease(release);
    return release;
  }

  private static Release created(Release release, int secondsAfterT0) {
    return new Release(
        release.id(),
        release.product(),
        release.version(),
        release.state(),
        release.manifest(),
        release.manifestSha256(),
        release.artifacts(),
        release.check(),
        release.createdBy(),
        at(secondsAfterT0),
        at(secondsAfterT0));
  }

  private void insertRelease(Release release) {
    tx.write(
        repos -> {
          repos.releases().insert(release);
          return null;
        });
  }

  private void insertProduct(Product product) {
    tx.write(
        repos -> {
          repos.products().insert(product);
          return null;
        });
  }

  private void insertCertifier(Certifier certifier) {
    tx.write(
        repos -> {
          repos.certifiers().insert(certifier);
          return null;
        });
  }

  private static Void addKey(
      dev.sluice.core.product.CertifierRepository certifiers, CertifierId id, VerificationKey key) {
    certifiers.addKey(id, key, T0);
    return null;
  }

  private static Void addArtifact(
      dev.sluice.core.release.ReleaseRepository releases, ReleaseId id, Artifact artifact) {
    releases.addArtifact(id, artifact, T0);
    return null;
  }

  private static Void insertSignOff(
      dev.sluice.core.certification.SignOffRepository signOffs, SignOff signOff) {
    signOffs.insert(signOff);
    return null;
  }

  private List<ReleaseId> ids(
      Optional<ProductName> product, Optional<ReleaseState> state, int limit) {
    return tx.read(repos -> repos.releases().list(product, state, limit)).stream()
        .map(Release::id)
        .toList();
  }

  private Optional<ReleaseId> latest(ProductName product, List<ReleaseState> states) {
    return tx.read(repos -> repos.releases().latestIn(product, states)).map(Release::id);
  }

  private Optional<Product> product(ProductName name) {
    return tx.read(repos -> repos.products().find(name));
  }

  private List<Product> products() {
    return tx.read(repos -> repos.products().list());
  }

  private Optional<Certifier> certifier(CertifierId id) {
    return tx.read(repos -> repos.certifiers().find(id));
  }

  private List<Certifier> certifiers() {
    return tx.read(repos -> repos.certifiers().list());
  }

  private Optional<Release> release(ReleaseId id) {
    return tx.read(repos -> repos.releases().find(id));
  }

  private Optional<Release> findForUpdate(ReleaseId id) {
    return tx.write(repos -> repos.releases().findForUpdate(id));
  }

  private List<Release> releases(
      Optional<ProductName> product, Optional<ReleaseState> state, int limit) {
    return tx.read(repos -> repos.releases().list(product, state, limit));
  }

  private List<SignOff> signOffs(ReleaseId id) {
    return tx.read(repos -> repos.signOffs().list(id));
  }

  private Optional<ApiToken> token(Sha256 sha256) {
    return tx.read(repos -> repos.tokens().find(sha256));
  }

  private long tokenCount() {
    return tx.read(repos -> repos.tokens().count());
  }

  private List<AuditEvent> audit(AuditQuery query) {
    return tx.read(repos -> repos.audit().list(query));
  }
}
