package dev.sluice.agent;

import java.util.Objects;

/** The agent will not install an update: one link of the chain, or a local rule, broke. */
public final class UpdateRefusedException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final Refusal refusal;

  public UpdateRefusedException(Refusal refusal, String detail) {
    super(refusal.code() + ": " + detail);
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  public UpdateRefusedException(Refusal refusal, String detail, Throwable cause) {
    super(refusal.code() + ": " + detail, cause);
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  public Refusal refusal() {
    return refusal;
  }
}
