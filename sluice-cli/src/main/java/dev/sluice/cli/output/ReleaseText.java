package dev.sluice.cli.output;

import dev.sluice.cli.client.Release;
import dev.sluice.cli.client.Report;
import java.io.PrintWriter;
import java.util.List;

/** Renders releases and their check reports for people. */
public final class ReleaseText {
  private ReleaseText() {}

  /** The check report, one standard per line, failures first with their offenders. */
  public static void report(PrintWriter out, Release release, Report report) {
    out.printf(
        "release %s (%s %s): %s against standards %s v%d%n",
        release.id(),
        release.product(),
        release.version(),
        report.passed() ? "PASSED" : "BLOCKED",
        report.standardsSetId(),
        report.standardsVersion());
    List<dev.sluice.api.release.CheckReportView.Result> results = report.results();
    int passed = 0;
    int failed = 0;
    int errors = 0;
    for (dev.sluice.api.release.CheckReportView.Result r :
        results.stream().sorted((a, b) -> rank(a) - rank(b)).toList()) {
      switch (r.outcome()) {
        case "pass" -> passed++;
        case "fail" -> failed++;
        default -> errors++;
      }
      out.printf(
          "  %-5s %-7s %s%s%n",
          r.outcome().toUpperCase(java.util.Locale.ROOT),
          r.severity(),
          r.id(),
          r.title().isBlank() ? "" : " - " + r.title());
      if (!r.passed()) {
        if (!r.message().isBlank()) {
          out.println("        " + r.message());
        }
        if (!r.offenders().isEmpty()) {
          out.println("        offenders: " + String.join(", ", r.offenders()));
        }
        r.errorIfAny().ifPresent(e -> out.println("        error: " + e));
      }
    }
    out.printf("%d passed, %d failed, %d errors%n", passed, failed, errors);
  }

  /** A summary: identity, state, artifacts, report verdict, sign-offs and threshold progress. */
  public static void summary(PrintWriter out, Release release) {
    out.println("release   " + release.id());
    out.println("product   " + release.product());
    out.println("version   " + release.version());
    out.println("state     " + Output.state(release.state()));
    out.println("manifest  sha256:" + release.manifestSha256());
    out.println("created   " + release.createdAt() + " by " + release.createdBy());
    out.println("artifacts");
    List<dev.sluice.api.release.ArtifactView> uploaded = release.artifacts();
    for (dev.sluice.api.release.ArtifactView a : uploaded) {
      out.printf("  %s  %s  sha256:%s%n", a.name(), Sizes.format(a.size()), a.sha256());
    }
    for (String declared : release.declaredArtifacts()) {
      if (uploaded.stream().noneMatch(a -> a.name().equals(declared))) {
        out.printf("  %s  (declared, not uploaded)%n", declared);
      }
    }
    release
        .report()
        .ifPresentOrElse(
            report -> {
              long failing = report.results().stream().filter(r -> !r.passed()).count();
              out.printf(
                  "check     %s (%d standards, %d not passing)%n",
                  report.verdict().toUpperCase(java.util.Locale.ROOT),
                  report.results().size(),
                  failing);
            },
            () -> out.println("check     not run yet"));
    out.println("sign-offs " + progress(release));
    for (dev.sluice.api.release.SignOffView s : release.signOffs()) {
      out.printf(
          "  %-8s %s (key %s) %s%s%n",
          s.decision(),
          s.certifier(),
          Output.shortDigest(s.keyId()),
          s.signedAt(),
          s.reasonIfAny().map(r -> ": " + r).orElse(""));
    }
  }

  /** {@code approvals M of N}, plus who rejected, if anyone. */
  public static String progress(Release release) {
    String text =
        "approvals "
            + release.approvedBy().size()
            + release.threshold().stream().mapToObj(t -> " of " + t).findFirst().orElse("");
    List<String> rejected = release.rejectedBy();
    return rejected.isEmpty() ? text : text + ", rejected by " + String.join(", ", rejected);
  }

  private static int rank(dev.sluice.api.release.CheckReportView.Result r) {
    return switch (r.outcome()) {
      case "fail" -> 0;
      case "pass" -> 2;
      default -> 1;
    };
  }
}
