package dev.sluice.cli.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.audit.AuditEventView;
import dev.sluice.cli.client.AuditPage;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.ListFilterOptions;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        "List audit events, oldest first (newest first with --sort -at), reading the trail page"
            + " by page to its end.",
        "With --limit N it stops after N events and standard error says how to read on"
            + " (--after CURSOR)."
      })
  static final class ListEvents extends ApiCommand {
    @Option(names = "--subject", paramLabel = "S", description = "e.g. release/ID")
    private String subject;

    @Mixin private PageOptions pages;

    @Mixin private ListFilterOptions filtered;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<AuditEventView, String> read =
          pages.read(
              (cursor, size) -> {
                AuditPage page =
                    client.audit(
                        Optional.ofNullable(subject),
                        filtered.filter(),
                        filtered.sort(),
                        cursor,
                        OptionalInt.of(size));
                return new Pager.Page<>(page.events(), page.next());
              });
      if (json.requested()) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode events = answer.putArray("events");
        read.items().forEach(e -> events.add(WireJson.MAPPER.valueToTree(e)));
        read.more().ifPresent(n -> answer.put("next", n));
        Output.json(terminal.out(), answer);
        return ExitCodes.OK;
      }
      Output.table(
          terminal.out(),
          List.of("SEQ", "AT", "ACTOR", "ACTION", "SUBJECT", "DETAIL"),
          read.items().stream()
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
      pages.more(terminal, "events", read);
      return ExitCodes.OK;
    }
  }
}
