package dev.sluice.core.tuf;

/**
 * The TUF repository's storage inside one transaction. Implemented by the store; services declare
 * the narrowest of these they need.
 */
public interface TufPorts {
  /** The TUF repository's metadata files. */
  TufStorage tuf();

  /** Delegated roles signed offline: their keys and pending metadata. */
  OfflineRoleStorage offlineRoles();
}
