package dev.sluice.core.audit;

import dev.sluice.core.UnitOfWork;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import java.util.List;

/** Reads the audit trail; admins and auditors only. */
public final class AuditService {
  private final UnitOfWork<? extends AuditPorts> transactions;

  public AuditService(UnitOfWork<? extends AuditPorts> transactions) {
    this.transactions = transactions;
  }

  public List<AuditEvent> list(Principal actor, AuditQuery query) {
    actor.require(Role.ADMIN, Role.AUDITOR);
    return transactions.read(repos -> repos.audit().list(query));
  }
}
