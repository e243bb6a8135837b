package dev.sluice.store.tuf;

import dev.sluice.core.port.Transactions;
import dev.sluice.core.tuf.TufReader;
import dev.sluice.trust.tuf.RemoteRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a device sees of the repository: metadata files as the server serves them, each fetch
 * recorded, and a mirror's substitutions of a file's bytes.
 */
final class RecordingRemote implements RemoteRepository {
  private final Transactions tx;
  private final TufReader reader;
  private final List<String> fetched = new ArrayList<>();
  private final Map<String, byte[]> substituted = new HashMap<>();

  RecordingRemote(Transactions tx, TufReader reader) {
    this.tx = tx;
    this.reader = reader;
  }

  /** Serves {@code bytes} as {@code fileName} from now on, as a malicious mirror would. */
  void substitute(String fileName, byte[] bytes) {
    substituted.put(fileName, bytes.clone());
  }

  /** The metadata files fetched since the last call, in order. */
  List<String> takeFetched() {
    List<String> out = List.copyOf(fetched);
    fetched.clear();
    return out;
  }

  @Override
  public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
    fetched.add(fileName);
    if (substituted.containsKey(fileName)) {
      return Optional.of(substituted.get(fileName).clone());
    }
    return tx.read(r -> reader.metadataFile(r, fileName));
  }

  @Override
  public byte[] fetchTarget(String fileName, long length) {
    throw new UnsupportedOperationException("these tests fetch no target bytes");
  }
}
