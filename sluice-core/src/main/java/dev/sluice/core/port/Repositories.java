package dev.sluice.core.port;

import dev.sluice.core.action.ActionPorts;
import dev.sluice.core.action.ActionRepository;
import dev.sluice.core.audit.AuditPorts;
import dev.sluice.core.audit.AuditTrail;
import dev.sluice.core.catalog.CatalogPorts;
import dev.sluice.core.certification.CertificationPorts;
import dev.sluice.core.certification.SignOffRepository;
import dev.sluice.core.device.DeviceChangeFeed;
import dev.sluice.core.device.DevicePorts;
import dev.sluice.core.device.DeviceRepository;
import dev.sluice.core.device.IdempotencyKeys;
import dev.sluice.core.key.KeyPorts;
import dev.sluice.core.key.SealedKeyRepository;
import dev.sluice.core.policy.PolicyPorts;
import dev.sluice.core.policy.PolicyRepository;
import dev.sluice.core.product.CertifierRepository;
import dev.sluice.core.product.ProductRepository;
import dev.sluice.core.publication.PublicationPorts;
import dev.sluice.core.publication.PublicationStorage;
import dev.sluice.core.release.ReleasePorts;
import dev.sluice.core.release.ReleaseRepository;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.rollout.RolloutRepository;
import dev.sluice.core.session.ConsoleSessionRepository;
import dev.sluice.core.session.SessionPorts;
import dev.sluice.core.tlog.LogPorts;
import dev.sluice.core.tlog.LogStorage;
import dev.sluice.core.token.TokenPorts;
import dev.sluice.core.token.TokenRepository;
import dev.sluice.core.tuf.OfflineRoleStorage;
import dev.sluice.core.tuf.TufPorts;
import dev.sluice.core.tuf.TufStorage;

/**
 * Every repository available inside one transaction: the union of the features' ports, implemented
 * by the store. Domain code depends on its own feature's ports only, never on this hub.
 */
public interface Repositories
    extends AuditPorts,
        LogPorts,
        TufPorts,
        TokenPorts,
        PolicyPorts,
        CatalogPorts,
        ReleasePorts,
        CertificationPorts,
        PublicationPorts,
        DevicePorts,
        ActionPorts,
        RolloutPorts,
        KeyPorts,
        SessionPorts {
  ProductRepository products();

  CertifierRepository certifiers();

  /** Products' certification policies and pending policy proposals. */
  PolicyRepository policies();

  ReleaseRepository releases();

  /** Certifiers' sign-offs on releases. */
  SignOffRepository signOffs();

  AuditTrail audit();

  TokenRepository tokens();

  /** The transparency log's storage. */
  LogStorage log();

  /** The TUF repository's metadata files. */
  TufStorage tuf();

  /** Delegated TUF roles signed offline: their keys and pending metadata. */
  OfflineRoleStorage offlineRoles();

  /** Publications and revocations of releases. */
  PublicationStorage publications();

  /** Registered devices. */
  DeviceRepository devices();

  /** Device actions and their feedback. */
  ActionRepository actions();

  /** Rollouts, their stage counters and devices. */
  RolloutRepository rollouts();

  /** The feed of devices whose poll answer may have changed (followed by every server). */
  DeviceChangeFeed deviceChanges();

  /** Idempotency keys of bulk registrations (kept a day). */
  IdempotencyKeys idempotencyKeys();

  /** The online keys (log, TUF), sealed under the instances' passphrase. */
  SealedKeyRepository sealedKeys();

  /** Console sign-ins, shared by every instance. */
  ConsoleSessionRepository consoleSessions();
}
