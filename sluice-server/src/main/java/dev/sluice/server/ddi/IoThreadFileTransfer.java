package dev.sluice.server.ddi;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends one region of a file as a response body from the connection's I/O thread, as nginx does:
 * {@code sendfile} as far as the socket takes it, then again each time the socket can take more (a
 * write listener), and the exchange ended after the last byte. Nothing waits on another thread: a
 * download on the blocking executor parked and unparked its thread each time the socket was full,
 * and handed the exchange back to the I/O thread at the end.
 *
 * <p>The file's bytes come from the page cache; a file that is not in it makes {@code sendfile}
 * read the disk on the I/O thread (nginx without {@code aio} does the same).
 */
final class IoThreadFileTransfer implements ChannelListener<StreamSinkChannel> {
  private static final Logger LOG = LoggerFactory.getLogger(IoThreadFileTransfer.class);

  private final HttpServerExchange exchange;
  private final FileChannel file;
  private final long first;
  private final RangeFileChannel region;
  private long position;

  private IoThreadFileTransfer(
      HttpServerExchange exchange, FileChannel file, long first, long count) {
    this.exchange = exchange;
    this.file = file;
    this.first = first;
    this.region = new RangeFileChannel(file, first, first + count - 1);
  }

  /**
   * Starts sending {@code count} bytes of {@code path} from {@code first}; the response's status
   * and headers are set. The file is closed when the exchange completes.
   */
  static void start(HttpServerExchange exchange, Path path, long first, long count)
      throws IOException {
    if (first < 0 || count <= 0) {
      throw new IllegalArgumentException("a region has a first byte and at least one byte");
    }
    FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          IoUtils.safeClose(file);
          next.proceed();
        });
    new IoThreadFileTransfer(exchange, file, first, count)
        .handleEvent(exchange.getResponseChannel());
  }

  @Override
  public void handleEvent(StreamSinkChannel sink) {
    try {
      // Through a window onto the region (its byte 0 is the region's first): while the headers are
      // still unsent, Undertow reads the first bytes from the channel's own position, not the one
      // passed to transferFrom, so both are kept at the same place.
      long end = region.size();
      while (position < end) {
        region.position(position);
        long sent = sink.transferFrom(region, position, end - position);
        if (sent == 0) {
          if (first + position >= file.size()) {
            // sendfile sends nothing past the end: the file shrank since its size was read.
            throw new IOException("the blob file is shorter than its recorded size");
          }
          sink.getWriteSetter().set(this);
          sink.resumeWrites();
          return;
        }
        position += sent;
      }
      sink.suspendWrites();
      sink.getWriteSetter().set(null);
      exchange.endExchange();
    } catch (IOException | RuntimeException e) {
      // The response has started: all that can be done is to close the connection.
      LOG.debug("an artifact download ended early", e);
      IoUtils.safeClose(file);
      IoUtils.safeClose(exchange.getConnection());
    }
  }
}
