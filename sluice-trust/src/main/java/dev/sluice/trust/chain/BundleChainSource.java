package dev.sluice.trust.chain;

import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tuf.RemoteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An offline {@link ChainSource} over a {@link VerifyBundle}: TUF metadata, the checkpoint and the
 * log tiles from the bundle, proofs computed from its tiles. It holds no artifact files; verify a
 * file with {@link ReleaseChainVerifier#verifyTarget(String, String, String, java.nio.file.Path)}.
 */
public final class BundleChainSource implements ChainSource {
  private final VerifyBundle bundle;
  private final String name;

  public BundleChainSource(VerifyBundle bundle, String name) {
    this.bundle = bundle;
    this.name = name;
  }

  /** The result of {@link #gather}: the bundle and the online verification that filled it. */
  public record Gathered(VerifyBundle bundle, VerifiedRelease release) {}

  /**
   * Verifies a release online through {@code online} (with a fresh, in-memory state) and records
   * every TUF file, the checkpoint, and every log tile the verification read into a bundle.
   *
   * @throws ChainVerificationException if the release does not verify: no bundle of a broken chain
   */
  public static Gathered gather(
      ChainSource online, byte[] trustedRoot, NoteVerifier logKey, String releaseId, Clock clock) {
    return gather(online, trustedRoot, logKey, releaseId, clock, link -> {});
  }

  /** As {@link #gather(ChainSource, byte[], NoteVerifier, String, Clock)}, reporting each link. */
  public static Gathered gather(
      ChainSource online,
      byte[] trustedRoot,
      NoteVerifier logKey,
      String releaseId,
      Clock clock,
      java.util.function.Consumer<VerifiedLink> onLink) {
    Recording recording = new Recording(online);
    VerifiedRelease release =
        ReleaseChainVerifier.builder()
            .source(recording)
            .trustedRoot(trustedRoot)
            .logKey(logKey)
            .clock(clock)
            .onLink(onLink)
            .build()
            .verifyRelease(releaseId);
    VerifyBundle bundle =
        new VerifyBundle(
            releaseId,
            online.describe(),
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
            recording.tuf,
            recording.checkpoint,
            recording.tiles);
    return new Gathered(bundle, release);
  }

  @Override
  public RemoteRepository tuf() {
    return new RemoteRepository() {
      @Override
      public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
        return Optional.ofNullable(bundle.tuf().get(fileName)).map(byte[]::clone);
      }

      @Override
      public byte[] fetchTarget(String fileName, long length) {
        throw new ChainUnavailableException(
            ChainLink.ARTIFACT, "a bundle holds no artifact files (" + fileName + ")");
      }
    };
  }

  @Override
  public byte[] checkpoint() {
    return bundle.checkpoint();
  }

  @Override
  public byte[] tile(String path) {
    byte[] tile = bundle.tiles().get(path);
    if (tile == null) {
      throw new ChainUnavailableException(
          ChainLink.INCLUSION, "the bundle " + name + " does not hold the log file " + path);
    }
    return tile.clone();
  }

  @Override
  public String describe() {
    return "bundle " + name;
  }

  /** Passes every call through and keeps what came back. */
  private static final class Recording implements ChainSource {
    private final ChainSource inner;
    private final Map<String, byte[]> tuf = new TreeMap<>();
    private final Map<String, byte[]> tiles = new TreeMap<>();
    private byte[] checkpoint;

    Recording(ChainSource inner) {
      this.inner = inner;
    }

    @Override
    public RemoteRepository tuf() {
      RemoteRepository remote = inner.tuf();
      return new RemoteRepository() {
        @Override
        public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
          Optional<byte[]> bytes = remote.fetchMetadata(fileName, maxLength);
          bytes.ifPresent(b -> tuf.put(fileName, b.clone()));
          return bytes;
        }

        @Override
        public byte[] fetchTarget(String fileName, long length) {
          return remote.fetchTarget(fileName, length);
        }

        @Override
        public InputStream openTarget(String fileName, long length) throws IOException {
          return remote.openTarget(fileName, length);
        }
      };
    }

    @Override
    public byte[] checkpoint() {
      byte[] note = inner.checkpoint();
      checkpoint = note.clone();
      return note;
    }

    @Override
    public byte[] tile(String path) {
      byte[] tile = inner.tile(path);
      tiles.put(path, tile.clone());
      return tile;
    }

    @Override
    public java.util.List<dev.sluice.trust.tlog.Hash> inclusionProof(long index, long treeSize) {
      return inner.inclusionProof(index, treeSize);
    }

    @Override
    public java.util.List<dev.sluice.trust.tlog.Hash> consistencyProof(long oldSize, long newSize) {
      return inner.consistencyProof(oldSize, newSize);
    }

    @Override
    public String describe() {
      return inner.describe();
    }
  }
}
