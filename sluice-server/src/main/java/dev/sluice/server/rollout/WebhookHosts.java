package dev.sluice.server.rollout;

import dev.sluice.core.SluiceException;
import dev.sluice.core.rollout.Gate;
import dev.sluice.core.rollout.RolloutSpec;
import dev.sluice.core.rollout.StageSpec;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts an administrator allows rollout webhook gates to call ({@code --webhook-host}). A gate
 * can only reach what the operator named: never loopback, the cloud metadata address or an internal
 * service by default. An entry is a host name or address, optionally with {@code :port} (then only
 * that port).
 */
public final class WebhookHosts {
  private static final Pattern ENTRY =
      Pattern.compile(
          "([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?|\\[[0-9a-f:.]{2,45}\\])(:[0-9]{1,5})?");

  private final Set<String> allowed;

  public WebhookHosts(Set<String> allowed) {
    this.allowed = normalise(allowed);
  }

  /** The entries in lower case; a malformed one is refused. */
  public static Set<String> normalise(Set<String> hosts) {
    if (hosts == null) {
      throw new IllegalArgumentException("webhookHosts");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      String entry = h == null ? "" : h.strip().toLowerCase(Locale.ROOT);
      if (!ENTRY.matcher(entry).matches()) {
        throw new IllegalArgumentException(
            "a webhook host is a host name or address, optionally with :port; got '" + h + "'");
      }
      out.add(entry);
    }
    return Set.copyOf(out);
  }

  /** Whether a gate may call this URL. */
  public boolean allows(URI url) {
    String host = url.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    int port = url.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return allowed.contains(host) || allowed.contains(host + ":" + port);
  }

  /** Refuses (400, naming the stage) a rollout whose webhook gate calls a host not allowed. */
  public void check(RolloutSpec spec) {
    List<StageSpec> stages = spec.stages();
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).gate() instanceof Gate.Webhook w && !allows(w.url())) {
        String where = "stages[" + i + "].gate";
        String message =
            "the webhook host '"
                + w.url().getHost()
                + "' is not on the server's allow-list of webhook hosts"
                + (allowed.isEmpty()
                    ? " (none are allowed; an administrator starts the server with --webhook-host)"
                    : "");
        throw new SluiceException.InvalidInput(
            where + ": " + message, List.of(new SluiceException.Violation(where, message)), null);
      }
    }
  }
}
