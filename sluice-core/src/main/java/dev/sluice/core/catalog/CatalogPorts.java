package dev.sluice.core.catalog;

import dev.sluice.core.policy.PolicyPorts;

/**
 * What product and certifier registration reads and writes inside one transaction (a new product's
 * first policy included). Implemented by the store; services declare the narrowest of these they
 * need.
 */
public interface CatalogPorts extends PolicyPorts {}
