package dev.sluice.server.http;

/** One API operation. It reads its request from, and writes its response to, the {@link Call}. */
@FunctionalInterface
public interface Endpoint {
  void handle(Call call) throws Exception;
}
