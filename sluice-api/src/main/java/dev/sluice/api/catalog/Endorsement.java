package dev.sluice.api.catalog;

import dev.sluice.api.Required;

/** A signature by one of a certifier's current keys over a key change (base64). */
public record Endorsement(@Required String keyId, @Required String signature) {}
