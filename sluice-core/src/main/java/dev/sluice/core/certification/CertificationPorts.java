package dev.sluice.core.certification;

import dev.sluice.core.policy.PolicyPorts;
import dev.sluice.core.release.ReleasePorts;

/**
 * What certification reads and writes inside one transaction: releases, their sign-offs, and the
 * policy they are judged under. Implemented by the store; services declare the narrowest of these
 * they need.
 */
public interface CertificationPorts extends PolicyPorts, ReleasePorts {
  /** Certifiers' sign-offs on releases. */
  SignOffRepository signOffs();
}
