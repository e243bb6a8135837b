package dev.sluice.server.http;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that must be exactly as long as its {@code Content-Length}: reaching its end
 * sooner (the client stopped sending, or the server is shutting down and its connection was closed)
 * throws instead of looking like a complete, shorter body.
 */
final class DeclaredLengthInputStream extends FilterInputStream {
  private final long declared;
  private long read;

  DeclaredLengthInputStream(InputStream in, long declared) {
    super(in);
    this.declared = declared;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      return endReached();
    }
    read++;
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      return endReached();
    }
    read += n;
    return n;
  }

  private int endReached() throws IOException {
    if (read < declared) {
      throw new EOFException(
          "the request body ended after "
              + read
              + " of the "
              + declared
              + " bytes its Content-Length declares");
    }
    return -1;
  }
}
