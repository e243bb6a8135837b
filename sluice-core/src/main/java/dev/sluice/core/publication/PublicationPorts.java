package dev.sluice.core.publication;

import dev.sluice.core.certification.CertificationPorts;
import dev.sluice.core.tuf.TufPorts;

/**
 * What publication and revocation read and write inside one transaction: the release, its record in
 * the log, and the TUF repository. Implemented by the store; services declare the narrowest of
 * these they need.
 */
public interface PublicationPorts extends CertificationPorts, TufPorts {
  /** Publications and revocations of releases. */
  PublicationStorage publications();
}
