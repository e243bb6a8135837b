package dev.sluice.store.jdbi;

import dev.sluice.core.action.ActionRepository;
import dev.sluice.core.audit.AuditTrail;
import dev.sluice.core.certification.SignOffRepository;
import dev.sluice.core.device.DeviceChangeFeed;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.IdempotencyKeys;
import dev.sluice.core.key.SealedKeyRepository;
import dev.sluice.core.policy.PolicyRepository;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.product.CertifierRepository;
import dev.sluice.core.product.ProductRepository;
import dev.sluice.core.publication.PublicationStorage;
import dev.sluice.core.release.ReleaseRepository;
import dev.sluice.core.rollout.RolloutRepository;
import dev.sluice.core.session.ConsoleSessionRepository;
import dev.sluice.core.tlog.LogStorage;
import dev.sluice.core.token.TokenRepository;
import dev.sluice.core.tuf.OfflineRoleStorage;
import dev.sluice.core.tuf.TufStorage;
import dev.sluice.store.db.Dialect;
import org.jdbi.v3.core.Handle;

/**
 * The repositories of one transaction, all working on its {@link Handle}. Obtain them through
 * {@link dev.sluice.store.jdbi.JdbiTransactions}, which opens and ends the transaction.
 */
public final class JdbiRepositories implements Repositories {
  private final ProductRepository products;
  private final CertifierRepository certifiers;
  private final PolicyRepository policies;
  private final ReleaseRepository releases;
  private final SignOffRepository signOffs;
  private final AuditTrail audit;
  private final TokenRepository tokens;
  private final LogStorage log;
  private final TufStorage tuf;
  private final PublicationStorage publications;
  private final ActionRepository actions;
  private final DeviceRepository devices;
  private final RolloutRepository rollouts;
  private final OfflineRoleStorage offlineRoles;
  private final DeviceChangeFeed deviceChanges;
  private final IdempotencyKeys idempotencyKeys;
  private final SealedKeyRepository sealedKeys;
  private final ConsoleSessionRepository consoleSessions;

  public JdbiRepositories(Handle handle, Dialect dialect) {
    this(handle, dialect, new java.util.ArrayList<>());
  }

  /**
   * Repositories whose audit trail adds every event it appends to {@code appendedAudit} (see {@link
   * dev.sluice.store.jdbi.JdbiTransactions#onCommittedAudit}).
   */
  public JdbiRepositories(
      Handle handle,
      Dialect dialect,
      java.util.List<dev.sluice.core.audit.AuditEvent> appendedAudit) {
    this.products = new JdbiProductRepository(handle);
    this.certifiers = new JdbiCertifierRepository(handle);
    this.policies = new JdbiPolicyRepository(handle);
    this.releases = new JdbiReleaseRepository(handle, dialect);
    this.signOffs = new JdbiSignOffRepository(handle);
    this.audit = new JdbiAuditTrail(handle, dialect, appendedAudit);
    this.tokens = new JdbiTokenRepository(handle);
    this.log = new JdbiLogStorage(handle, dialect);
    this.tuf = new JdbiTufStorage(handle, dialect);
    this.publications = new JdbiPublicationStorage(handle);
    this.actions = new JdbiActionRepository(handle, dialect);
    this.devices = new JdbiDeviceRepository(handle, dialect);
    this.rollouts = new JdbiRolloutRepository(handle, dialect);
    this.offlineRoles = new JdbiOfflineRoleStorage(handle);
    this.deviceChanges = new JdbiDeviceChangeFeed(handle);
    this.idempotencyKeys = new JdbiIdempotencyKeys(handle);
    this.sealedKeys = new JdbiSealedKeyRepository(handle);
    this.consoleSessions = new JdbiConsoleSessionRepository(handle);
  }

  @Override
  public ProductRepository products() {
    return products;
  }

  @Override
  public PolicyRepository policies() {
    return policies;
  }

  @Override
  public CertifierRepository certifiers() {
    return certifiers;
  }

  @Override
  public ReleaseRepository releases() {
    return releases;
  }

  @Override
  public SignOffRepository signOffs() {
    return signOffs;
  }

  @Override
  public AuditTrail audit() {
    return audit;
  }

  @Override
  public TokenRepository tokens() {
    return tokens;
  }

  @Override
  public LogStorage log() {
    return log;
  }

  @Override
  public TufStorage tuf() {
    return tuf;
  }

  @Override
  public PublicationStorage publications() {
    return publications;
  }

  @Override
  public ActionRepository actions() {
    return actions;
  }

  @Override
  public DeviceRepository devices() {
    return devices;
  }

  @Override
  public RolloutRepository rollouts() {
    return rollouts;
  }

  @Override
  public OfflineRoleStorage offlineRoles() {
    return offlineRoles;
  }

  @Override
  public DeviceChangeFeed deviceChanges() {
    return deviceChanges;
  }

  @Override
  public IdempotencyKeys idempotencyKeys() {
    return idempotencyKeys;
  }

  @Override
  public SealedKeyRepository sealedKeys() {
    return sealedKeys;
  }

  @Override
  public ConsoleSessionRepository consoleSessions() {
    return consoleSessions;
  }
}
