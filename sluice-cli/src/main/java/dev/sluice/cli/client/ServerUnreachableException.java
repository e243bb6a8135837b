package dev.sluice.cli.client;

import java.net.URI;

/** Nothing answered at the server's address: it is not running, or the address is wrong. */
public final class ServerUnreachableException extends CliException {
  private static final long serialVersionUID = 1L;

  private final URI server;

  public ServerUnreachableException(URI server, Throwable cause) {
    super("no Sluice server answers at " + server, cause);
    this.server = server;
  }

  public URI server() {
    return server;
  }

  /** What the network layer said, e.g. "connection refused". */
  public String reason() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return getCause() instanceof java.net.ConnectException ? "connection refused" : "no answer";
  }
}
