package dev.sluice.cli.command;

import dev.sluice.cli.client.SluiceClient;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --server} and {@code --token} options (or {@code SLUICE_SERVER} and {@code
 * SLUICE_TOKEN}), shared as a picocli mixin by every command that calls the management API.
 */
public final class ServerOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:SLUICE_SERVER:-" + SluiceClient.DEFAULT_SERVER + "}",
      description = "The Sluice server (env SLUICE_SERVER; default: ${DEFAULT-VALUE}).")
  private URI server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_TOKEN}",
      description = "The API token (env SLUICE_TOKEN).")
  private String token;

  /** A client for the chosen server; a URL it cannot use is a usage error of {@code spec}. */
  public SluiceClient client(CommandSpec spec) {
    try {
      return new SluiceClient(server, Optional.ofNullable(token));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
    }
  }

  /** Whether a token was given at all (to tell a missing token from a refused one). */
  public boolean hasToken() {
    return token != null;
  }
}
