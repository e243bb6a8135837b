package dev.sluice.store.maintenance;

import dev.sluice.store.StoreException;
import dev.sluice.store.blob.ManagedBlobStore;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code sluice fsck} and {@code sluice gc}: re-verifies every blob against its name and the
 * database's references to blobs (missing, corrupted, unreferenced), checks the SQLite database's
 * own integrity, and collects unreferenced blobs safely (see {@link
 * ManagedBlobStore#collectGarbage}).
 */
public final class DataCheck {
  /** How long a blob must have been left alone before the collector may remove it. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  private final Database database;
  private final ManagedBlobStore blobs;

  public DataCheck(Database database, ManagedBlobStore blobs) {
    this.database = database;
    this.blobs = blobs;
  }

  /** What {@link #check} found. {@link #clean()} when there is nothing to fix. */
  public record Report(
      int blobsChecked,
      List<Sha256> corrupted,
      List<Sha256> missing,
      List<Sha256> unreferenced,
      List<String> strayFiles,
      List<String> databaseProblems) {
    public Report {
      corrupted = List.copyOf(corrupted);
      missing = List.copyOf(missing);
      unreferenced = List.copyOf(unreferenced);
      strayFiles = List.copyOf(strayFiles);
      databaseProblems = List.copyOf(databaseProblems);
    }

    public boolean clean() {
      return corrupted.isEmpty()
          && missing.isEmpty()
          && unreferenced.isEmpty()
          && strayFiles.isEmpty()
          && databaseProblems.isEmpty();
    }
  }

  /** Re-hashes every blob and compares the store with the database's references. */
  public Report check() throws IOException {
    List<String> databaseProblems = databaseProblems();
    Set<Sha256> referenced = referenced();
    Set<Sha256> present = new HashSet<>();
    List<Sha256> corrupted = new ArrayList<>();
    List<Sha256> unreferenced = new ArrayList<>();
    List<ManagedBlobStore.Entry> files = blobs.list();
    for (ManagedBlobStore.Entry file : files) {
      present.add(file.digest());
      if (!blobs.rehash(file.digest()).matches(file.digest())) {
        corrupted.add(file.digest());
      }
      if (!referenced.contains(file.digest())) {
        unreferenced.add(file.digest());
      }
    }
    List<Sha256> missing = new ArrayList<>();
    for (Sha256 digest : new TreeSet<>(hexes(referenced)).stream().map(Sha256::new).toList()) {
      if (!present.contains(digest)) {
        missing.add(digest);
      }
    }
    return new Report(
        files.size(), corrupted, missing, unreferenced, blobs.strayEntries(), databaseProblems);
  }

  /** Removes blobs no release references that were left alone for {@code grace}. */
  public List<ManagedBlobStore.Entry> collectGarbage(Duration grace, Instant now)
      throws IOException {
    return blobs.collectGarbage(this::isReferenced, grace, now);
  }

  /** Every blob digest the database refers to (the artifacts of every release, in any state). */
  public Set<Sha256> referenced() {
    try {
      return database
          .jdbi()
          .withHandle(
              h ->
                  h.createQuery("SELECT DISTINCT sha256 FROM release_artifacts")
                      .mapTo(String.class)
                      .map(Sha256::new)
                      .collectIntoSet());
    } catch (RuntimeException e) {
      throw new StoreException("cannot read the artifacts' digests", e);
    }
  }

  /** Whether a release refers to the blob, asked of the database now (indexed). */
  public boolean isReferenced(Sha256 digest) {
    try {
      return database
          .jdbi()
          .withHandle(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM release_artifacts WHERE sha256 = :sha256")
                          .bind("sha256", digest.hex())
                          .mapTo(Long.class)
                          .one()
                      > 0);
    } catch (RuntimeException e) {
      throw new StoreException("cannot read the artifacts' digests", e);
    }
  }

  private List<String> databaseProblems() {
    if (database.dialect() != Dialect.SQLITE) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    database
        .jdbi()
        .useHandle(
            h -> {
              for (String line :
                  h.createQuery("PRAGMA integrity_check").mapTo(String.class).list()) {
                if (!line.equals("ok")) {
                  problems.add("integrity: " + line);
                }
              }
              h.createQuery("PRAGMA foreign_key_check")
                  .map((rs, ctx) -> "foreign key: " + rs.getString(1) + " row " + rs.getLong(2))
                  .forEach(problems::add);
            });
    return problems;
  }

  private static Set<String> hexes(Set<Sha256> digests) {
    Set<String> hex = new HashSet<>();
    digests.forEach(d -> hex.add(d.hex()));
    return hex;
  }
}
