package dev.sluice.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {
  private final AtomicLong requested = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Flow.Subscription subscription =
      new Flow.Subscription() {
        @Override
        public void request(long n) {
          requested.addAndGet(n);
        }

        @Override
        public void cancel() {
          cancelled.set(true);
        }
      };

  @Test
  void aBodyWithinTheLimitIsReadWholeAndNotTruncated() {
    BoundedBody.Subscriber subscriber = new BoundedBody.Subscriber(8);
    subscriber.onSubscribe(subscription);
    subscriber.onNext(List.of(bytes("abcd"), bytes("efgh")));
    subscriber.onComplete();

    BoundedBody body = subscriber.getBody().toCompletableFuture().join();
    assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
    assertThat(body.truncated()).isFalse();
    assertThat(cancelled).isFalse();
  }

  @Test
  void aLongerBodyKeepsTheFirstBytesAndCancelsTheRest() {
    BoundedBody.Subscriber subscriber = new BoundedBody.Subscriber(5);
    subscriber.onSubscribe(subscription);
    subscriber.onNext(List.of(bytes("abc")));
    subscriber.onNext(List.of(bytes("defg"), bytes("never read")));
    long requestedBefore = requested.get();
    subscriber.onNext(List.of(bytes("after the end")));

    BoundedBody body = subscriber.getBody().toCompletableFuture().join();
    assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    assertThat(body.truncated()).isTrue();
    assertThat(cancelled).isTrue();
    assertThat(requested.get()).isEqualTo(requestedBefore);
  }

  @Test
  void aFailedExchangeFailsTheBody() {
    BoundedBody.Subscriber subscriber = new BoundedBody.Subscriber(5);
    subscriber.onSubscribe(subscription);
    subscriber.onError(new java.io.IOException("connection reset"));

    assertThat(subscriber.getBody().toCompletableFuture()).isCompletedExceptionally();
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
