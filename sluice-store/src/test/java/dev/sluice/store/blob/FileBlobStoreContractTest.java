package dev.sluice.store.blob;

import dev.sluice.trust.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on the file store. */
class FileBlobStoreContractTest extends BlobStoreContract {
  @TempDir Path root;
  private FileBlobStore store;

  @BeforeEach
  void open() {
    store = new FileBlobStore(root);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  ManagedBlobStore store() {
    return store;
  }

  @Override
  void overwrite(Sha256 digest, byte[] content) throws Exception {
    Path file = store.localPath(digest).orElseThrow();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
  }

  @Override
  List<String> leftovers() throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve("tmp"))) {
      return files.filter(Files::isRegularFile).map(Path::toString).toList();
    }
  }

  @Override
  void leaveAbandonedUpload() throws Exception {
    Path other = Files.createDirectories(root.resolve("tmp").resolve("crashed-instance"));
    Files.write(other.resolve("upload-1.part"), new byte[] {1, 2, 3});
  }
}
