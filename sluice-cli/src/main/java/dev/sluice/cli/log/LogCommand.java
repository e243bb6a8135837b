package dev.sluice.cli.log;

import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.server.LogKeys;
import dev.sluice.trust.tlog.MalformedNoteException;
import dev.sluice.trust.tlog.NoteVerifier;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice log}: the transparency log's key and the auditor's verification. */
@Command(
    name = "log",
    description = "The transparency log: print its verifier key, audit it.",
    subcommands = {LogCommand.Key.class, LogCommand.Verify.class})
public final class LogCommand {

  /** {@code sluice log key}. */
  @Command(
      name = "key",
      description = {
        "Print the log's verifier key (<name>+<hex key ID>+<base64 key>).",
        "Auditors must obtain it out of band (from the operator), not from the server they audit."
      })
  static final class Key implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Source source;

    static final class Source {
      @Option(names = "--data", paramLabel = "DIR", description = "A server's data directory.")
      @InputFile
      Path dataDir;

      @Option(names = "--server", paramLabel = "URL", description = "Ask a running server.")
      URI server;
    }

    @Override
    public Integer call() {
      String vkey;
      if (source.dataDir != null) {
        vkey = LogKeys.verifierKey(source.dataDir);
      } else {
        try (SluiceClient client = client(spec, source.server)) {
          vkey = client.logKey();
        }
      }
      Terminal.of(spec).out().println(vkey);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice log verify}. */
  @Command(
      name = "verify",
      description = {
        "Audit a log: verify its checkpoint's signature with VKEY, fetch every tile and entry bundle",
        "and recompute the root, and check that the log is consistent with the checkpoint saved in",
        "FILE by the last run (then save the new one). Exit 0 if all holds, 1 on any mismatch."
      })
  static final class Verify extends ApiCommand {
    @Option(
        names = "--key",
        required = true,
        paramLabel = "VKEY",
        description = "The log's verifier key, obtained out of band.")
    private String key;

    @Option(
        names = "--state",
        paramLabel = "FILE",
        description = "Where the last verified checkpoint is kept between runs.")
    private Path state;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      NoteVerifier verifier;
      try {
        verifier = NoteVerifier.parse(key);
      } catch (MalformedNoteException e) {
        throw new ParameterException(spec().commandLine(), "--key: " + e.getMessage());
      }
      LogAudit.Result result = new LogAudit(client, verifier).run(Optional.ofNullable(state));
      terminal.out().println(result.summary());
      return ExitCodes.OK;
    }
  }

  private static SluiceClient client(CommandSpec spec, URI server) {
    try {
      return new SluiceClient(server, Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
    }
  }
}
