package dev.sluice.core.port;

import dev.sluice.core.UnitOfWork;

/**
 * Transactions over every repository: what the store implements and the server assembles services
 * from. Domain code never names this type; each service takes a {@link UnitOfWork} of its own
 * feature's ports.
 */
public interface Transactions extends UnitOfWork<Repositories> {}
