package dev.sluice.core.release;

import dev.sluice.core.standards.CheckReport;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of checking a release against its product's standards, with the digest of the
 * report's canonical JSON (which the release statement commits to).
 */
public record CheckRecord(CheckReport report, Sha256 reportSha256, Instant checkedAt) {
  public CheckRecord {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(reportSha256, "reportSha256");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }
}
