package dev.sluice.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP listener allows a client, so that slow or stalled clients cannot hold connections,
 * threads or temp files (docs/security.md, "Limits and timeouts").
 *
 * @param requestHeaderTimeout how long a client may take to send a request's line and headers, from
 *     its first byte (a slowloris sending a byte a second is closed after this)
 * @param bodyStallTimeout how long a read of the request body or a write of the response may make
 *     no progress before the connection is closed (a stalled upload; its temp file is removed)
 * @param keepAliveTimeout how long a connection may stay open without a request
 * @param maxConnections how many connections are open at most; further ones wait in the backlog
 * @param maxHeaderBytes the largest request line plus headers accepted
 * @param shutdownGrace how long a stopping server lets requests in flight finish
 */
public record HttpLimits(
    Duration requestHeaderTimeout,
    Duration bodyStallTimeout,
    Duration keepAliveTimeout,
    int maxConnections,
    int maxHeaderBytes,
    Duration shutdownGrace) {

  public HttpLimits {
    positive(requestHeaderTimeout, "requestHeaderTimeout");
    positive(bodyStallTimeout, "bodyStallTimeout");
    positive(keepAliveTimeout, "keepAliveTimeout");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("the shutdown grace period cannot be negative");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("the connection limit must be at least 1");
    }
    if (maxHeaderBytes < 4096) {
      throw new IllegalArgumentException("request headers must be allowed at least 4096 bytes");
    }
  }

  /**
   * Headers within 30 s, no body or response progress for 60 s, idle connections closed after 60 s,
   * 10,000 connections, 64 KiB of request line and headers, 30 s to drain at shutdown.
   */
  public static HttpLimits defaults() {
    return new HttpLimits(
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        10_000,
        64 * 1024,
        Duration.ofSeconds(30));
  }

  public HttpLimits withTimeouts(Duration header, Duration bodyStall, Duration keepAlive) {
    return new HttpLimits(
        header, bodyStall, keepAlive, maxConnections, maxHeaderBytes, shutdownGrace);
  }

  public HttpLimits withMaxConnections(int max) {
    return new HttpLimits(
        requestHeaderTimeout,
        bodyStallTimeout,
        keepAliveTimeout,
        max,
        maxHeaderBytes,
        shutdownGrace);
  }

  public HttpLimits withShutdownGrace(Duration grace) {
    return new HttpLimits(
        requestHeaderTimeout,
        bodyStallTimeout,
        keepAliveTimeout,
        maxConnections,
        maxHeaderBytes,
        grace);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be positive and under 24 days");
    }
  }
}
