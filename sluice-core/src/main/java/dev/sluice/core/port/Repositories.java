package dev.sluice.core.port;

/** The repositories available inside one transaction. */
public interface Repositories {
  ProductRepository products();

  CertifierRepository certifiers();

  /** Products' certification policies and pending policy proposals. */
  PolicyRepository policies();

  ReleaseRepository releases();

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
}
