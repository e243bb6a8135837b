package dev.sluice.server.rollout;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The first bytes of an HTTP reply's body, at most a limit; {@code truncated} when the body went on
 * beyond it (the rest is not read: the exchange is cancelled).
 */
record BoundedBody(byte[] bytes, boolean truncated) {
  BoundedBody {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Collects at most {@code limit} bytes, then completes and cancels the rest. */
  static final class Subscriber implements HttpResponse.BodySubscriber<BoundedBody> {
    private final int limit;
    private final ByteArrayOutputStream read = new ByteArrayOutputStream();
    private final CompletableFuture<BoundedBody> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Subscriber(int limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("a limit is not negative: " + limit);
      }
      this.limit = limit;
    }

    @Override
    public CompletionStage<BoundedBody> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int room = limit - read.size();
        if (buffer.remaining() > room) {
          byte[] part = new byte[room];
          buffer.get(part);
          read.writeBytes(part);
          body.complete(new BoundedBody(read.toByteArray(), true));
          subscription.cancel();
          return;
        }
        byte[] all = new byte[buffer.remaining()];
        buffer.get(all);
        read.writeBytes(all);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(new BoundedBody(read.toByteArray(), false));
    }
  }
}
