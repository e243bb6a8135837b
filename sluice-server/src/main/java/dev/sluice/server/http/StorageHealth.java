package dev.sluice.server.http;

import dev.sluice.core.blob.BlobCorruptedException;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server knows about its storage: whether a write recently failed because the disk is
 * full, and which blobs failed verification. A full disk is reported from the first failed write
 * until a probe write to the data directory succeeds again: the server recovers without a restart
 * once space is freed.
 */
public final class StorageHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);
  private static final int PROBE_BYTES = 64 * 1024;

  private final Path dataDir;
  private final BlobStore blobs;
  private final Clock clock;
  private final AtomicReference<Instant> diskFullSince = new AtomicReference<>();

  public StorageHealth(Path dataDir, BlobStore blobs, Clock clock) {
    this.dataDir = dataDir;
    this.blobs = blobs;
    this.clock = clock;
  }

  /** Whether {@code failure} (or one of its causes) is a write refused because storage is full. */
  public static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == 13 // SQLITE_FULL
              || "53100".equals(sql.getSQLState()))) { // PostgreSQL disk_full
        return true;
      }
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if ((t instanceof IOException
              || t instanceof FileSystemException
              || t instanceof SQLException)
          && (message.contains("no space left on device")
              || message.contains("database or disk is full")
              || message.contains("disk quota exceeded")
              || message.contains("sqlite_full"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The corrupted blob behind {@code failure}, if that is what it is. */
  public static Optional<BlobCorruptedException> corruptedBlob(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof BlobCorruptedException corrupted) {
        return Optional.of(corrupted);
      }
    }
    return Optional.empty();
  }

  /** Records that a write failed for lack of space. */
  public void diskFull(Throwable failure) {
    if (diskFullSince.compareAndSet(null, clock.instant())) {
      LOG.error(
          "the disk holding {} is full: writes fail with 507 until space is freed ({})",
          dataDir,
          failure.toString());
    }
  }

  /**
   * Since when the disk has been full, if it still is: after a failure, a probe write of {@value
   * #PROBE_BYTES} bytes to the data directory decides (and clears the state when it succeeds).
   */
  public Optional<Instant> diskFullSince() {
    Instant since = diskFullSince.get();
    if (since == null) {
      return Optional.empty();
    }
    if (probeWrite()) {
      diskFullSince.compareAndSet(since, null);
      LOG.info("the disk holding {} has free space again; writes are accepted", dataDir);
      return Optional.empty();
    }
    return Optional.of(since);
  }

  /** The blobs that failed verification and have not been restored. */
  public Set<Sha256> corruptedBlobs() {
    return blobs.corrupted();
  }

  private boolean probeWrite() {
    Path probe = dataDir.resolve(".space-probe");
    try {
      try (FileChannel channel =
          FileChannel.open(
              probe,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(java.nio.ByteBuffer.allocate(PROBE_BYTES));
        channel.force(true);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        LOG.debug("cannot remove {}: {}", probe, e.toString());
      }
    }
  }
}
