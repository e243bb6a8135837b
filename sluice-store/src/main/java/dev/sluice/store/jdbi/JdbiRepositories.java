package dev.sluice.store.jdbi;

import dev.sluice.core.port.ActionRepository;
import dev.sluice.core.port.AuditTrail;
import dev.sluice.core.port.CertifierRepository;
import dev.sluice.core.port.DeviceChangeFeed;
import dev.sluice.core.port.DeviceRepository;
import dev.sluice.core.port.IdempotencyKeys;
import dev.sluice.core.port.LogStorage;
import dev.sluice.core.port.OfflineRoleStorage;
import dev.sluice.core.port.PolicyRepository;
import dev.sluice.core.port.ProductRepository;
import dev.sluice.core.port.PublicationStorage;
import dev.sluice.core.port.ReleaseRepository;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.RolloutRepository;
import dev.sluice.core.port.TokenRepository;
import dev.sluice.core.port.TufStorage;
import dev.sluice.store.db.Dialect;
import org.jdbi.v3.core.Handle;

/**
 * The repositories of one transaction, all working on its {@link Handle}. Obtain them through
 * {@link dev.sluice.store.JdbiTransactions}, which opens and ends the transaction.
 */
public final class JdbiRepositories implements Repositories {
  private final ProductRepository products;
  private final CertifierRepository certifiers;
  private final PolicyRepository policies;
  private final ReleaseRepository releases;
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

  public JdbiRepositories(Handle handle, Dialect dialect) {
    this(handle, dialect, new java.util.ArrayList<>());
  }

  /**
   * Repositories whose audit trail adds every event it appends to {@code appendedAudit} (see {@link
   * dev.sluice.store.JdbiTransactions#onCommittedAudit}).
   */
  public JdbiRepositories(
      Handle handle,
      Dialect dialect,
      java.util.List<dev.sluice.core.audit.AuditEvent> appendedAudit) {
    this.products = new JdbiProductRepository(handle);
    this.certifiers = new JdbiCertifierRepository(handle);
    this.policies = new JdbiPolicyRepository(handle);
    this.releases = new JdbiReleaseRepository(handle, dialect);
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
}
