package dev.sluice.cli.audit;

import dev.sluice.cli.client.AuditPage;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice audit}: the server's audit trail. */
@Command(
    name = "audit",
    description = "Read the audit trail (admin, auditor).",
    subcommands = {AuditCommand.ListEvents.class})
public final class AuditCommand {

  /** {@code sluice audit list}. */
  @Command(
      name = "list",
      description = {
        "List audit events, oldest first (the trail is paged by sequence number).",
        "When more follow, standard error says how to read the next page (--after N)."
      })
  static final class ListEvents extends ApiCommand {
    private static final int SERVER_PAGE = 100;

    @Option(names = "--subject", paramLabel = "S", description = "e.g. release/ID")
    private String subject;

    @Option(
        names = "--after",
        paramLabel = "N",
        description = "Only events after sequence N (the next page).")
    private Long after;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events (default 100).")
    private Integer limit;

    @Option(names = "--json", description = "Print the server's JSON.")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      AuditPage page =
          client.audit(
              Optional.ofNullable(subject),
              after == null ? OptionalLong.empty() : OptionalLong.of(after),
              limit == null ? OptionalInt.empty() : OptionalInt.of(limit));
      if (json) {
        Output.json(terminal.out(), page.json());
        return ExitCodes.OK;
      }
      List<dev.sluice.api.audit.AuditEventView> events = page.events();
      Output.table(
          terminal.out(),
          List.of("SEQ", "AT", "ACTOR", "ACTION", "SUBJECT", "DETAIL"),
          events.stream()
              .map(
                  e ->
                      List.of(
                          String.valueOf(e.seq()),
                          e.at(),
                          e.actor(),
                          e.action(),
                          e.subject(),
                          e.detail().isMissingNode() || e.detail().isNull()
                              ? ""
                              : e.detail().toString()))
              .toList());
      // The server answers at most 100 events unless --limit says otherwise.
      if (events.size() >= (limit == null ? SERVER_PAGE : limit)) {
        page.nextAfter()
            .ifPresent(n -> terminal.err().println("more: sluice audit list --after " + n));
      }
      return ExitCodes.OK;
    }
  }
}
