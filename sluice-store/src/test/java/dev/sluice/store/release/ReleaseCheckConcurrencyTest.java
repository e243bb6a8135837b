package dev.sluice.store.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.store.Fixtures;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release check evaluates the standards outside the write transaction (issue 10, item 6): on
 * SQLite, which has one writer, a device's write completes while a slow check is evaluating, and
 * the check's result is written only if the release did not change meanwhile.
 */
class ReleaseCheckConcurrencyTest {
  private static final Principal MANAGER =
      new Principal("release-bot", Role.RELEASE_MANAGER, Optional.empty());

  @TempDir Path blobDir;
  private TestDatabase test;
  private JdbiTransactions tx;
  private Release draft;

  @BeforeEach
  void start() {
    test = TestDatabases.freshSqlite();
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab-a");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    draft = Fixtures.draft(product.name(), "1.0.0");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          repos.releases().insert(draft);
          return null;
        });
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void aDeviceWriteIsNotBlockedWhileTheStandardsAreEvaluated() throws Exception {
    CountDownLatch evaluating = new CountDownLatch(1);
    CountDownLatch deviceWrote = new CountDownLatch(1);
    AtomicBoolean wroteDuringEvaluation = new AtomicBoolean();
    ReleaseService releases =
        service(
            (standards, facts) -> {
              evaluating.countDown();
              try {
                // Without a deadline this would hang forever if the write were blocked.
                wroteDuringEvaluation.set(deviceWrote.await(30, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return standards.evaluate(facts);
            });
    CompletableFuture<Release> check =
        CompletableFuture.supplyAsync(() -> releases.check(MANAGER, draft.id()));
    assertThat(evaluating.await(30, TimeUnit.SECONDS)).isTrue();
    tx.write(
        repos -> {
          repos.deviceChanges().record(new ControllerId("phone-0003"), Fixtures.T0);
          return null;
        });
    deviceWrote.countDown();
    Release checked = check.get(60, TimeUnit.SECONDS);
    assertThat(wroteDuringEvaluation).isTrue();
    assertThat(checked.state()).isIn(ReleaseState.CHECKED, ReleaseState.BLOCKED);
    assertThat(checked.check()).isPresent();
  }

  @Test
  void aReleaseChangedDuringTheEvaluationIsNotMarkedChecked() {
    ReleaseService releases =
        service(
            (standards, facts) -> {
              // Meanwhile an artifact arrives: the evaluated facts are out of date.
              tx.write(
                  repos -> {
                    repos
                        .releases()
                        .addArtifact(
                            draft.id(), Fixtures.artifact("rootfs.img", "root"), Fixtures.T0);
                    return null;
                  });
              return standards.evaluate(facts);
            });
    assertThatThrownBy(() -> releases.check(MANAGER, draft.id()))
        .isInstanceOf(SluiceException.Conflict.class)
        .hasMessageContaining("changed while it was being checked");
    Release after = tx.read(repos -> repos.releases().find(draft.id())).orElseThrow();
    assertThat(after.state()).isEqualTo(ReleaseState.DRAFT);
    assertThat(after.check()).isEmpty();
  }

  private ReleaseService service(ReleaseService.Evaluation evaluation) {
    return new ReleaseService(
        tx,
        new FileBlobStore(blobDir),
        new StandardsEngine(),
        Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1)),
        evaluation);
  }
}
