package dev.sluice.trust.chain;

import java.util.Objects;

/** One link of the chain that held, and what it established, for printing. */
public record VerifiedLink(ChainLink link, String detail) {
  public VerifiedLink {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(detail, "detail");
  }
}
