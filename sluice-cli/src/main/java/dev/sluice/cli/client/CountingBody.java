package dev.sluice.cli.client;

import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/** A request body that reports how many bytes it has handed on (for a progress bar). */
final class CountingBody {
  private CountingBody() {}

  static BodyPublisher of(BodyPublisher body, LongConsumer sent) {
    Flow.Publisher<ByteBuffer> counting =
        subscriber ->
            body.subscribe(
                new Flow.Subscriber<>() {
                  @Override
                  public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                  }

                  @Override
                  public void onNext(ByteBuffer item) {
                    int bytes = item.remaining();
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
