package dev.sluice.server.ddi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A read-only window onto one byte range of a file, seen as a file of its own: position 0 is the
 * range's first byte and {@link #size()} its length. Undertow's {@code transferFrom(FileChannel)}
 * sends a channel from its position to its size, and asks for {@code size()} bytes (not {@code
 * size() - position()}); a window that starts at 0 makes both mean exactly the range. (A view that
 * kept the file's own positions made Undertow ask for more bytes than the response declared: every
 * range not starting at byte 0 ended in a fixed-length overflow, an error log line and a closed
 * connection.) {@link #transferTo} goes straight to the real file channel, which keeps the transfer
 * zero-copy (sendfile).
 */
final class RangeFileChannel extends FileChannel {
  private final FileChannel file;
  private final long first;
  private final long length;
  private long position;

  /** A window onto {@code file}'s bytes {@code first} to {@code last} (inclusive). */
  RangeFileChannel(FileChannel file, long first, long last) {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("a range runs from a first byte to a last one after it");
    }
    this.file = file;
    this.first = first;
    this.length = last - first + 1;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public FileChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = newPosition;
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    long allowed = Math.min(count, length - position);
    return allowed <= 0 ? 0 : file.transferTo(first + position, allowed, target);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    long remaining = length - position;
    if (remaining <= 0) {
      return -1;
    }
    if (dst.remaining() <= remaining) {
      return file.read(dst, first + position);
    }
    ByteBuffer limited = dst.slice(dst.position(), (int) remaining);
    int n = file.read(limited, first + position);
    if (n > 0) {
      dst.position(dst.position() + n);
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {}

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    if (mode != MapMode.READ_ONLY || position < 0 || size < 0 || position + size > length) {
      throw new IOException("a range window maps read-only within its range");
    }
    return file.map(mode, first + position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(first + position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(first + position, size, shared);
  }

  @Override
  protected void implCloseChannel() {
    // The underlying channel belongs to the caller.
  }
}
