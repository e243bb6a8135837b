package dev.sluice.cli.verify;

import dev.sluice.trust.chain.ChainVerificationException;
import dev.sluice.trust.chain.VerifiedLink;
import dev.sluice.trust.chain.VerifiedRelease;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints the chain as it is verified: one line per link, ✓ or ✗ and what held or broke. */
final class ChainPrinter implements Consumer<VerifiedLink> {
  private final PrintWriter out;

  ChainPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void accept(VerifiedLink link) {
    out.println("  ✓ " + link.link().title() + ": " + link.detail());
    out.flush();
  }

  void artifact(String detail) {
    out.println("  ✓ artifact: " + detail);
  }

  void broken(ChainVerificationException e) {
    out.println("  ✗ " + e.link().title() + ": " + e.reason());
    out.flush();
  }

  void verified(VerifiedRelease r) {
    out.println(
        "OK: release "
            + r.releaseId()
            + " ("
            + r.product()
            + " "
            + r.version()
            + ") is logged at index "
            + r.logIndex()
            + " of "
            + r.checkpoint().origin()
            + " and certified by "
            + String.join(", ", r.signers())
            + " under policy sequence "
            + r.policy().sequence()
            + " (threshold "
            + r.policy().threshold()
            + ")");
  }
}
