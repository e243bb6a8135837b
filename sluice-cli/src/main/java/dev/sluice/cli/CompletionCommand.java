package dev.sluice.cli;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.Terminal;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice completion bash}: a completion script generated from the command tree. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script for every sluice command and option (bash and zsh).",
      "Install: sluice completion bash > /etc/bash_completion.d/sluice, or in ~/.bashrc:",
      "source <(sluice completion bash)"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash (also read by zsh with bashcompinit); default ${DEFAULT-VALUE}.")
  private String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "completion is generated for bash (zsh reads it), not '" + shell + "'");
    }
    Terminal terminal = Terminal.of(spec);
    String script = AutoComplete.bash("sluice", spec.root().commandLine());
    terminal.out().print(script);
    terminal.out().flush();
    return ExitCodes.OK;
  }
}
