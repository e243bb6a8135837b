package dev.sluice.cli.command;

import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.output.Output;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a Sluice server: it carries the {@code --server} and {@code --token}
 * options ({@link ServerOptions}) and hands its subclass a ready {@link SluiceClient}.
 */
public abstract class ApiCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ServerOptions serverOptions;

  @Override
  public final Integer call() throws IOException {
    SluiceClient client = serverOptions.client(spec);
    Terminal terminal = Terminal.of(spec);
    try (client) {
      return run(client, terminal);
    } catch (ApiException e) {
      if (e.status() != 401) {
        throw e;
      }
      Output.problem(terminal.err(), e);
      terminal
          .err()
          .println(
              !serverOptions.hasToken()
                  ? "sluice: no token was given; pass --token or set SLUICE_TOKEN"
                  : "sluice: the server refused the token (mistyped, expired or revoked?); pass a"
                      + " valid one with --token or SLUICE_TOKEN (sluice token list shows yours)");
      return ExitCodes.FAILURE;
    }
  }

  /** Does the command's work and returns its exit code (see {@link ExitCodes}). */
  protected abstract int run(SluiceClient client, Terminal terminal) throws IOException;

  protected final CommandSpec spec() {
    return spec;
  }
}
