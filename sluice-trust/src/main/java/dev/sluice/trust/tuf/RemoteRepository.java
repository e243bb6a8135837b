package dev.sluice.trust.tuf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a TUF client fetches from (HTTP, a directory, a USB stick). Everything it returns is
 * untrusted: {@link TufUpdater} verifies every byte. File names are relative and built by {@link
 * TufLayout}, so implementations only map them onto their transport.
 */
public interface RemoteRepository {
  /**
   * Fetches a metadata file, for example {@code "3.root.json"} or {@code "timestamp.json"}.
   * Implementations should stop reading after {@code maxLength} bytes (more is refused anyway).
   *
   * @return the bytes, or empty if the file does not exist (HTTP 404); other failures throw
   *     (unchecked)
   */
  Optional<byte[]> fetchMetadata(String fileName, long maxLength);

  /**
   * Fetches a target file by its name below the targets base, for example {@code
   * "os/4f2a….image.raucb"} with consistent snapshots. Implementations should stop reading after
   * {@code length} bytes.
   *
   * @return the bytes; a missing file or another failure throws (unchecked)
   */
  byte[] fetchTarget(String fileName, long length);

  /**
   * Opens a target file for streaming, for targets too large to hold in memory (OS images). The
   * default wraps {@link #fetchTarget}; transports that can stream should override it. {@link
   * TufUpdater} reads at most {@code length + 1} bytes and closes the stream.
   *
   * @throws IOException if the target cannot be opened
   */
  default InputStream openTarget(String fileName, long length) throws IOException {
    return new ByteArrayInputStream(fetchTarget(fileName, length));
  }
}
