package dev.sluice.server.ddi;

import dev.sluice.core.action.ArtifactDigests;
import dev.sluice.core.blob.BlobCorruptedException;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.port.Transactions;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-1 and MD5 of blobs, which DDI clients expect next to SHA-256. Computed once per blob, on
 * first need, by streaming the blob; then kept in the database and in memory. The same pass
 * computes the SHA-256: digests are never derived from bytes that are not the blob's.
 */
final class Digests {
  private static final int BUFFER = 64 * 1024;
  private final Transactions transactions;
  private final BlobStore blobs;
  private final ConcurrentHashMap<Sha256, ArtifactDigests> memo = new ConcurrentHashMap<>();

  Digests(Transactions transactions, BlobStore blobs) {
    this.transactions = transactions;
    this.blobs = blobs;
  }

  ArtifactDigests of(Sha256 sha256) {
    ArtifactDigests known = memo.get(sha256);
    if (known != null) {
      return known;
    }
    Optional<ArtifactDigests> stored = transactions.read(repos -> repos.actions().digests(sha256));
    ArtifactDigests digests = stored.orElseGet(() -> compute(sha256));
    if (stored.isEmpty()) {
      transactions.write(
          repos -> {
            repos.actions().saveDigests(digests);
            return null;
          });
    }
    memo.put(sha256, digests);
    return digests;
  }

  private ArtifactDigests compute(Sha256 sha256) {
    try (InputStream in = blobs.open(sha256)) {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      MessageDigest sha256Digest = Sha256.newDigest();
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) != -1) {
        sha1.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        sha256Digest.update(buffer, 0, n);
      }
      Sha256 actual = Sha256.fromBytes(sha256Digest.digest());
      if (!actual.matches(sha256)) {
        // The store records the corruption (health, tuf status) and throws.
        blobs.verify(sha256);
        throw new BlobCorruptedException(sha256, actual);
      }
      HexFormat hex = HexFormat.of();
      return new ArtifactDigests(sha256, hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + sha256.hex(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1 or MD5", e);
    }
  }
}
