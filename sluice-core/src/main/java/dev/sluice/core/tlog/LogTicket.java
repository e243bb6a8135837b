package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * The receipt for an appended entry: its RFC 9162 leaf hash, which identifies it in the log, and
 * its index if the entry was already integrated when it was appended (an identical earlier entry).
 */
public record LogTicket(Hash leafHash, Optional<Long> index) {
  public LogTicket {
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(index, "index");
    index.ifPresent(
        i -> {
          if (i < 0) {
            throw new IllegalArgumentException("a log index is not negative: " + i);
          }
        });
  }

  public static LogTicket pending(Hash leafHash) {
    return new LogTicket(leafHash, Optional.empty());
  }

  public static LogTicket integrated(Hash leafHash, long index) {
    return new LogTicket(leafHash, Optional.of(index));
  }
}
