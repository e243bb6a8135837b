package dev.sluice.server;

import dev.sluice.core.action.ActionService;
import dev.sluice.core.audit.AuditService;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.device.DeviceCredentials;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.publication.OfflineSigning;
import dev.sluice.core.publication.PublicationService;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.StatusNotes;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.core.tlog.LogCorruptedException;
import dev.sluice.core.tlog.LogIdentityException;
import dev.sluice.core.tlog.Scheduler;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.core.token.TokenService;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.server.ddi.DdiEndpoints;
import dev.sluice.server.ddi.PollCache;
import dev.sluice.server.keys.KeyWarmUp;
import dev.sluice.server.keys.OnlineKeyException;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.server.tuf.TufKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second layer: the domain services over the storage, the transparency log (with its sequencer
 * thread), the TUF repository and its keys, and the poll cache the action service keeps current. On
 * the very first start it creates the admin token and writes it to {@code DATA/admin.token} (mode
 * 0600). Closing stops the log's sequencer after its run in progress.
 */
final class ServerServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerServices.class);

  final Optional<String> bootstrapAdminToken;
  final StandardsEngine engine = new StandardsEngine();
  final TokenService tokens;
  final AuditService audit;
  final ReleaseService releases;
  final CertificationService certification;
  final TransparencyLog log;
  final PolicyService policies;
  final ProductService products;
  final TufRepository tuf;

  /** The TUF online keys, opened in the background once the server listens ({@link KeyWarmUp}). */
  final KeyWarmUp tufKeysOpening;

  final PublicationService<Repositories> publications;
  final OfflineSigning offlineSigning;
  final DeviceService devices;
  final DeviceCredentials deviceCredentials;
  final PollCache pollCache;
  final ActionService<RolloutPorts> actions;
  final RolloutService rollouts;
  final StatusNotes notes;
  private final ScheduledExecutorService sequencing;

  /**
   * @param logKey the log key, opened when the log starts ({@link #startLog()}, after the server
   *     listens)
   * @param passphrase the online keys' passphrase, from which the device-token derivation secret is
   *     derived; not kept
   */
  ServerServices(
      ServerConfig config,
      ServerStorage storage,
      OnlineKeyVault vault,
      LogKeys.Opening logKey,
      char[] passphrase,
      Clock clock) {
    var transactions = storage.transactions;
    this.tokens = new TokenService(transactions, clock);
    this.audit = new AuditService(transactions);
    this.releases = new ReleaseService(transactions, storage.blobs, engine, clock);
    this.certification = new CertificationService(transactions, clock);
    this.bootstrapAdminToken = tokens.bootstrapAdmin().map(TokenService.IssuedToken::secret);
    bootstrapAdminToken.ifPresent(
        t -> writeSecretFile(storage.dataDir.resolve("admin.token"), t + "\n"));

    TufKeys tufKeys = new TufKeys(vault);
    try {
      tufKeys.importKeyFiles(storage.dataDir.resolve("keys"));
    } catch (OnlineKeyException e) {
      throw new StartupException(e.getMessage(), e);
    }
    this.tufKeysOpening = new KeyWarmUp("the TUF online keys", tufKeys::openRoleKeys);
    this.tuf =
        new TufRepository(tufKeys, clock, config.tufExpiry(), config.tufOfflineTargetsExpiry());
    byte[] derivationSecret = DeviceService.derivationSecret(passphrase);
    this.devices = new DeviceService(transactions, clock, derivationSecret);
    Arrays.fill(derivationSecret, (byte) 0);
    this.offlineSigning = new OfflineSigning(transactions, tuf, clock);
    this.deviceCredentials = new DeviceCredentials(transactions, clock);
    this.pollCache = DdiEndpoints.newCache(config.ddi(), clock);
    // Every action status change updates its rollout stage's counters in the same transaction.
    this.actions = new ActionService<>(new RolloutCounters(), pollCache::invalidate);
    this.rollouts = new RolloutService(transactions, actions, clock);
    this.notes = new StatusNotes(transactions, clock);

    this.sequencing =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-log-sequencer").daemon().factory());
    // Built now, started by startLog() once the key is open: nothing signs before then.
    this.log =
        new TransparencyLog(
            transactions,
            logKey::await,
            clock,
            Scheduler.of(sequencing),
            TransparencyLog.DEFAULT_INTERVAL,
            e -> LOG.error("transparency log sequencing failed; retrying", e));
    this.policies =
        new PolicyService(transactions, log, clock, PolicyService.DEFAULT_INTEGRATION_TIMEOUT);
    this.products = new ProductService(transactions, engine, clock, policies);
    this.publications =
        new PublicationService<>(
            transactions,
            log,
            tuf,
            clock,
            PublicationService.DEFAULT_INTEGRATION_TIMEOUT,
            policies,
            (repos, actor, release, reason, at) -> {
              pollCache.releaseWithdrawn(release);
              int withdrawn =
                  actions.withdraw(repos, actor.name(), release, "release revoked: " + reason, at);
              if (withdrawn > 0) {
                LOG.info("revoking {}: cancelled {} open action(s)", release, withdrawn);
              }
            });
  }

  /**
   * Opens the log key (PBKDF2), then starts the transparency log (checking that the database's log
   * is this key's), logs a first policy for products that have none, and finishes publications a
   * crash left half done. The server calls it once it listens, on the thread that finishes its
   * start.
   *
   * @throws StartupException if the log key cannot be opened (wrong passphrase, altered key, other
   *     origin) or the database's log belongs to another key
   */
  void startLog() {
    try {
      log.start();
      int migrated = policies.migrate();
      if (migrated > 0) {
        LOG.info("logged a first certification policy for {} existing product(s)", migrated);
      }
      resumePublications(publications);
    } catch (LogIdentityException | LogCorruptedException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** Stops the log's sequencer, letting a run in progress finish its transaction. */
  @Override
  public void close() {
    log.close();
    sequencing.shutdown();
    try {
      if (!sequencing.awaitTermination(10, TimeUnit.SECONDS)) {
        sequencing.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sequencing.shutdownNow();
    }
  }

  /** Finishes publications and revocations that a crash or a timeout left half done. */
  private static void resumePublications(PublicationService<?> publications) {
    try {
      int resumed = publications.resumeUnfinished();
      if (resumed > 0) {
        LOG.info("finished {} interrupted publication(s)", resumed);
      }
    } catch (RuntimeException e) {
      LOG.error("could not finish interrupted publications; they resume on the next attempt", e);
    }
  }

  private static void writeSecretFile(Path target, String content) {
    try {
      Path temp =
          Files.createTempFile(
              target.getParent(),
              ".admin-token",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, content, StandardCharsets.US_ASCII, StandardOpenOption.SYNC);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + target, e);
    }
  }
}
