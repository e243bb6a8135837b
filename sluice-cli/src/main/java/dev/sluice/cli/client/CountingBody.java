package dev.sluice.cli.client;

import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A request body that reports how many bytes it has handed on (for a progress bar), and optionally
 * hashes them as they pass (so a file is read once, not once to hash and once to send).
 */
final class CountingBody {
  private CountingBody() {}

  static BodyPublisher of(BodyPublisher body, LongConsumer sent) {
    return of(body, sent, null);
  }

  /**
   * Like {@link #of(BodyPublisher, LongConsumer)}, feeding every byte handed on to {@code digest}
   * too; a new subscription (a retried request) starts the digest over.
   */
  static BodyPublisher of(
      BodyPublisher body, LongConsumer sent, java.security.MessageDigest digest) {
    Flow.Publisher<ByteBuffer> counting =
        subscriber ->
            body.subscribe(
                new Flow.Subscriber<>() {
                  @Override
                  public void onSubscribe(Flow.Subscription subscription) {
                    if (digest != null) {
                      digest.reset();
                    }
                    subscriber.onSubscribe(subscription);
                  }

                  @Override
                  public void onNext(ByteBuffer item) {
                    int bytes = item.remaining();
                    if (digest != null) {
                      digest.update(item.duplicate());
                    }
                    subscriber.onNext(item);
                    sent.accept(bytes);
                  }

                  @Override
                  public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                  }

                  @Override
                  public void onComplete() {
                    subscriber.onComplete();
                  }
                });
    return BodyPublishers.fromPublisher(counting, body.contentLength());
  }
}
