package dev.sluice.cli.serve;

import dev.sluice.server.HttpLimits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code sluice serve} options for the HTTP listener's limits (docs/security.md, "Limits and
 * timeouts") and the hosts rollout webhook gates may call.
 */
final class HttpOptions {
  @Option(
      names = "--header-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "How long a client may take to send a request's headers (default: ${DEFAULT-VALUE}).")
  String headerTimeout;

  @Option(
      names = "--body-stall-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = {
        "How long a request body or a response may make no progress before the connection is",
        "closed (default: ${DEFAULT-VALUE})."
      })
  String bodyStallTimeout;

  @Option(
      names = "--keep-alive-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = "How long an idle connection stays open (default: ${DEFAULT-VALUE}).")
  String keepAliveTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Open connections at most; more wait (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = {
        "On SIGTERM, how long requests in flight may finish before the server closes",
        "(default: ${DEFAULT-VALUE})."
      })
  String shutdownGrace;

  @Option(
      names = "--webhook-host",
      paramLabel = "HOST[:PORT]",
      description = {
        "A host rollout webhook gates may call; repeatable. None by default: a gate on any",
        "other host is refused when the rollout is created."
      })
  List<String> webhookHosts = List.of();

  HttpLimits limits() {
    HttpLimits defaults = HttpLimits.defaults();
    return new HttpLimits(
        DdiOptions.duration("--header-timeout", headerTimeout),
        DdiOptions.duration("--body-stall-timeout", bodyStallTimeout),
        DdiOptions.duration("--keep-alive-timeout", keepAliveTimeout),
        maxConnections,
        defaults.maxHeaderBytes(),
        DdiOptions.duration("--shutdown-grace", shutdownGrace));
  }

  Set<String> hosts() {
    return new LinkedHashSet<>(webhookHosts);
  }
}
