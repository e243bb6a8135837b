package dev.sluice.store.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Artifact;
import dev.sluice.core.release.ArtifactName;
import dev.sluice.core.release.Release;
import dev.sluice.store.Fixtures;
import dev.sluice.store.JdbiTransactions;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.store.blob.ManagedBlobStore;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck finds corrupted, missing and unreferenced blobs (issue 10, item 9); the garbage collector
 * removes only old unreferenced blobs and never one an upload re-uses meanwhile (item 10).
 */
class DataCheckTest {
  private static final Duration GRACE = Duration.ofHours(1);
  @TempDir Path root;
  private TestDatabase test;
  private JdbiTransactions tx;
  private FileBlobStore blobs;
  private DataCheck check;
  private Release draft;

  @BeforeEach
  void start() {
    test = TestDatabases.freshSqlite();
    tx = new JdbiTransactions(test.database());
    blobs = new FileBlobStore(root.resolve("blobs"));
    check = new DataCheck(test.database(), blobs);
    Certifier lab = Fixtures.certifier("lab-a");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    draft = Fixtures.draft(product.name(), "1.0.0");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          repos.releases().insert(draft);
          return null;
        });
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void aCleanStoreHasNoProblems() throws Exception {
    reference(store("rootfs"), "rootfs.img");
    DataCheck.Report report = check.check();
    assertThat(report.clean()).as(report.toString()).isTrue();
    assertThat(report.blobsChecked()).isEqualTo(1);
  }

  @Test
  void fsckFindsCorruptedMissingAndUnreferencedBlobs() throws Exception {
    Sha256 corrupted = store("rootfs");
    reference(corrupted, "rootfs.img");
    flip(path(corrupted));
    Sha256 unreferenced = store("left by a failed upload");
    Sha256 missing = Sha256.of("never stored".getBytes(StandardCharsets.UTF_8));
    tx.write(
        repos -> {
          repos
              .releases()
              .addArtifact(
                  draft.id(), new Artifact(new ArtifactName("boot.img"), missing, 12), Fixtures.T0);
          return null;
        });
    DataCheck.Report report = check.check();
    assertThat(report.clean()).isFalse();
    assertThat(report.corrupted()).containsExactly(corrupted);
    assertThat(report.missing()).containsExactly(missing);
    assertThat(report.unreferenced()).containsExactly(unreferenced);
  }

  @Test
  void theCollectorRemovesOnlyOldUnreferencedBlobs() throws Exception {
    Sha256 referenced = store("rootfs");
    reference(referenced, "rootfs.img");
    Sha256 oldGarbage = store("old garbage");
    Sha256 newGarbage = store("an upload whose reference is about to commit");
    age(referenced);
    age(oldGarbage);
    List<ManagedBlobStore.Entry> removed = check.collectGarbage(GRACE, Instant.now());
    assertThat(removed).extracting(ManagedBlobStore.Entry::digest).containsExactly(oldGarbage);
    assertThat(path(oldGarbage)).doesNotExist();
    assertThat(path(referenced)).exists();
    assertThat(path(newGarbage)).exists();
  }

  @Test
  void anUploadReusingAnUnreferencedBlobWhileTheCollectorRunsKeepsIt() throws Exception {
    byte[] content = "same content, uploaded again".getBytes(StandardCharsets.UTF_8);
    Sha256 digest = store(content);
    age(digest);
    // The collector has listed the blob as an old candidate; before it decides, an upload of the
    // same content completes (its reference is not committed yet).
    List<ManagedBlobStore.Entry> removed =
        blobs.collectGarbage(
            candidate -> {
              put(content);
              return false;
            },
            GRACE,
            Instant.now());
    assertThat(removed).isEmpty();
    assertThat(path(digest)).exists();
  }

  private Sha256 store(String text) throws Exception {
    return store(text.getBytes(StandardCharsets.UTF_8));
  }

  private Sha256 store(byte[] content) throws Exception {
    return put(content);
  }

  private Sha256 put(byte[] content) {
    try {
      return blobs.put(new ByteArrayInputStream(content), 1 << 20, Optional.empty()).sha256();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void reference(Sha256 digest, String name) throws Exception {
    long size = Files.size(path(digest));
    tx.write(
        repos -> {
          repos
              .releases()
              .addArtifact(
                  draft.id(), new Artifact(new ArtifactName(name), digest, size), Fixtures.T0);
          return null;
        });
  }

  private Path path(Sha256 digest) {
    return blobs
        .localPath(digest)
        .orElse(
            root.resolve("blobs")
                .resolve("sha256")
                .resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex()));
  }

  private void age(Sha256 digest) throws Exception {
    Files.setLastModifiedTime(
        path(digest), FileTime.from(Instant.now().minus(GRACE).minus(Duration.ofMinutes(5))));
  }

  private static void flip(Path file) throws Exception {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      int b = raf.read();
      raf.seek(0);
      raf.write(b ^ 0xff);
    }
  }
}
