package dev.sluice.trust.chain;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tuf.TargetInfo;
import java.util.List;

/** The release record against the TUF targets that point at it: same release, same artifacts. */
final class RecordChecks {
  private RecordChecks() {}

  /**
   * The record is a release (not a revocation) of this product, version and release id, and lists
   * every target's artifact name.
   */
  static void checkRecord(
      LoggedRelease record,
      long index,
      String product,
      String version,
      List<TargetInfo> targets,
      String releaseId) {
    if (record.revocation()) {
      throw new RevokedReleaseException(
          record.releaseId(),
          index,
          "the target points at log entry "
              + index
              + ", a revocation of release "
              + record.releaseId()
              + ": "
              + record.reason().orElse(""));
    }
    if (!record.product().equals(product)) {
      throw new RecordMismatchException(
          "the record at log index "
              + index
              + " is a release of product "
              + record.product()
              + ", not "
              + product);
    }
    if (!record.version().equals(version) || !record.releaseId().equals(releaseId)) {
      throw new RecordMismatchException(
          "the record at log index "
              + index
              + " is release "
              + record.releaseId()
              + " version "
              + record.version()
              + ", but the target says release "
              + releaseId
              + " version "
              + version);
    }
    for (TargetInfo t : targets) {
      String name = t.path().substring(t.path().lastIndexOf('/') + 1);
      if (record.artifact(name).isEmpty()) {
        throw new RecordMismatchException(
            "the release record at log index " + index + " lists no artifact named " + name);
      }
    }
  }

  /**
   * The statement rebuilt from the record has the record's digest, and each certified artifact is
   * the target's digest and size.
   */
  static void checkStatement(LoggedRelease record, byte[] statement, List<TargetInfo> targets) {
    if (!Sha256.of(statement).matches(record.statementSha256())) {
      throw new StatementMismatchException(
          "the statement rebuilt from the record has sha256 "
              + Sha256.of(statement).hex()
              + ", but the record says "
              + record.statementSha256().hex());
    }
    for (TargetInfo t : targets) {
      String name = t.path().substring(t.path().lastIndexOf('/') + 1);
      LoggedRelease.Artifact a = record.artifact(name).orElseThrow();
      if (!a.sha256().matches(t.file().sha256()) || a.size() != t.file().length()) {
        throw new StatementMismatchException(
            "the certified artifact "
                + name
                + " has sha256 "
                + a.sha256().hex()
                + " and "
                + a.size()
                + " bytes, but the TUF target has sha256 "
                + t.file().sha256().hex()
                + " and "
                + t.file().length()
                + " bytes");
      }
    }
  }
}
