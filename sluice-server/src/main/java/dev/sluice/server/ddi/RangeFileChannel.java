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
 * A read-only view of a file that ends early: {@link #size()} is the end of a byte range, so that
 * Undertow's {@code transferFrom(FileChannel)} (which sends from the channel's position to its
 * size) sends exactly one range. {@link #transferTo} goes straight to the real file channel, which
 * keeps the transfer zero-copy (sendfile).
 */
final class RangeFileChannel extends FileChannel {
  private final FileChannel file;
  private final long end;

  /** A view of {@code file} positioned at {@code first} that ends after {@code last}. */
  RangeFileChannel(FileChannel file, long first, long last) throws IOException {
    this.file = file;
    this.end = last + 1;
    file.position(first);
  }

  @Override
  public long size() {
    return end;
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    long allowed = Math.min(count, end - position);
    return allowed <= 0 ? 0 : file.transferTo(position, allowed, target);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    long remaining = end - file.position();
    if (remaining <= 0) {
      return -1;
    }
    if (dst.remaining() <= remaining) {
      return file.read(dst);
    }
    ByteBuffer limited = dst.slice(dst.position(), (int) remaining);
    int n = file.read(limited);
    if (n > 0) {
      dst.position(dst.position() + n);
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
    long remaining = end - position;
    if (remaining <= 0) {
      return -1;
    }
    if (dst.remaining() <= remaining) {
      return file.read(dst, position);
    }
    ByteBuffer limited = dst.slice(dst.position(), (int) remaining);
    int n = file.read(limited, position);
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
    if (mode != MapMode.READ_ONLY || position + size > end) {
      throw new IOException("a range view maps read-only within its range");
    }
    return file.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() {
    // The underlying channel belongs to the caller.
  }
}
