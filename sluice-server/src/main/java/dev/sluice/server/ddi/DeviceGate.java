package dev.sluice.server.ddi;

import dev.sluice.core.SluiceException;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Problems;
import dev.sluice.server.http.Router;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Clock;
import java.util.List;

/**
 * Admits devices to the DDI routes (the router runs it before the endpoint): checks tenant,
 * controller id and credential, then the device's rate, and records the device as seen. The
 * device's budget is charged only once the caller is authenticated (else anyone could exhaust it);
 * failed authentications are charged to the client's address, which is refused for a while after
 * too many.
 */
public final class DeviceGate implements Router.DeviceGate {
  /** Requests that failed authentication, per client address: sustained rate and burst. */
  static final double UNAUTHENTICATED_PER_SECOND = 10.0;

  static final int UNAUTHENTICATED_BURST = 100;

  /** At most this many devices, and as many client addresses, have a rate-limit bucket. */
  static final int MAX_RATE_LIMIT_KEYS = 1_000_000;

  private final DdiConfig config;
  private final DdiAccess access;
  private final RateLimiter limiter;
  private final RateLimiter unauthenticated;
  private final LastSeen lastSeen;
  private final Problems problems;
  private final Clock clock;

  public DeviceGate(
      DdiConfig config, DdiAccess access, LastSeen lastSeen, Problems problems, Clock clock) {
    this.config = config;
    this.access = access;
    this.lastSeen = lastSeen;
    this.problems = problems;
    this.clock = clock;
    this.limiter =
        new RateLimiter(config.requestsPerSecond(), config.burst(), MAX_RATE_LIMIT_KEYS, clock);
    this.unauthenticated =
        new RateLimiter(
            UNAUTHENTICATED_PER_SECOND, UNAUTHENTICATED_BURST, MAX_RATE_LIMIT_KEYS, clock);
  }

  @Override
  public boolean admit(Call call) throws Exception {
    ControllerId id = controllerId(call);
    String client = clientKey(call.exchange());
    long blocked = unauthenticated.peek(client);
    if (blocked > 0) {
      tooManyFailures(call.exchange(), blocked);
      return false;
    }
    Device device;
    try {
      DdiAccess.Credential credential = DdiAccess.credential(call.header("Authorization"));
      device = access.authorize(credential, id, false);
    } catch (SluiceException.Unauthenticated | SluiceException.Forbidden e) {
      unauthenticated.acquire(client);
      throw e;
    }
    long wait = limiter.acquire(id.value());
    if (wait > 0) {
      tooManyRequests(call.exchange(), wait);
      return false;
    }
    lastSeen.seen(id, clock.instant());
    call.admit(device);
    return true;
  }

  DdiAccess access() {
    return access;
  }

  LastSeen lastSeen() {
    return lastSeen;
  }

  /** Charges a device's own budget; the wait in seconds, 0 when allowed now. */
  long acquire(String controllerId) {
    return limiter.acquire(controllerId);
  }

  /** How long this client is still refused after failed authentications (0: not refused). */
  long blocked(HttpServerExchange ex) {
    return unauthenticated.peek(clientKey(ex));
  }

  /** Counts a failed authentication against the client. */
  void failed(HttpServerExchange ex) {
    unauthenticated.acquire(clientKey(ex));
  }

  /** Forgets idle rate-limit buckets. */
  void prune() {
    limiter.prune();
    unauthenticated.prune();
  }

  /** How many rate-limit buckets are kept now (per device and per client address). */
  int rateLimitKeys() {
    return limiter.size() + unauthenticated.size();
  }

  ControllerId controllerId(Call call) {
    if (!config.tenant().equalsIgnoreCase(call.path("tenant"))) {
      throw new SluiceException.NotFound("tenant", call.path("tenant"));
    }
    String id = call.path("controllerId");
    if (!validControllerId(id)) {
      throw badControllerId();
    }
    return new ControllerId(id);
  }

  /** Whether the id is a controller id; long ids are refused on their length alone. */
  static boolean validControllerId(String id) {
    return ControllerId.valid(id);
  }

  static SluiceException.InvalidInput badControllerId() {
    String rule =
        "the controller id in the path is not valid: a controller id is 1-64 letters, digits, '.',"
            + " '_', ':' or '-', starting with a letter or digit";
    return new SluiceException.InvalidInput(
        rule, List.of(new SluiceException.Violation("controllerId", rule)), null);
  }

  /**
   * The client whose failed authentications are counted: its address (an IPv6 client by its /64,
   * which one host usually owns whole), or the first {@code X-Forwarded-For} entry behind a trusted
   * proxy.
   */
  private String clientKey(HttpServerExchange ex) {
    if (config.trustForwardedHeaders()) {
      String forwarded = ex.getRequestHeaders().getFirst("X-Forwarded-For");
      if (forwarded != null) {
        String first = forwarded.split(",", 2)[0].strip();
        return first.length() > 64 ? first.substring(0, 64) : first;
      }
    }
    java.net.InetSocketAddress source = ex.getSourceAddress();
    if (source == null || source.getAddress() == null) {
      return "unknown";
    }
    byte[] address = source.getAddress().getAddress();
    if (address.length == 16) {
      return java.util.HexFormat.of().formatHex(address, 0, 8) + "::/64";
    }
    return source.getAddress().getHostAddress();
  }

  void tooManyFailures(HttpServerExchange ex, long retryAfterSeconds) {
    ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(retryAfterSeconds));
    problems.send(
        ex,
        429,
        "Too Many Requests",
        "too many requests from this address failed authentication; retry after "
            + retryAfterSeconds
            + " s",
        null);
  }

  void tooManyRequests(HttpServerExchange ex, long retryAfterSeconds) {
    ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(retryAfterSeconds));
    problems.send(
        ex,
        429,
        "Too Many Requests",
        "this device is polling too often; retry after " + retryAfterSeconds + " s",
        null);
  }
}
