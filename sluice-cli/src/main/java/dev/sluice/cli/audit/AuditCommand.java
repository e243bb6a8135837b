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
import dev.sluice.cli.command.Lists;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
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
        "List audit events, oldest first, reading the trail page by page to its end.",
        "With --limit N it stops after N events and standard error says how to read on"
            + " (--after SEQ)."
      })
  static final class ListEvents extends ApiCommand {
    /** The largest page the server answers ({@code AuditQuery.MAX_LIMIT}). */
    private static final int SERVER_PAGE = 1000;

    @Option(names = "--subject", paramLabel = "S", description = "e.g. release/ID")
    private String subject;

    @Option(
        names = "--after",
        paramLabel = "SEQ",
        description = "Only events after sequence number SEQ (where a --limit stopped).")
    private Long after;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N events (default: all of them).")
    private Integer limit;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<AuditEventView, Long> read =
          Pager.read(
              Optional.ofNullable(after),
              SERVER_PAGE,
              Lists.limit(spec(), limit),
              (cursor, size) -> {
                AuditPage page =
                    client.audit(
                        Optional.ofNullable(subject),
                        cursor.map(OptionalLong::of).orElse(OptionalLong.empty()),
                        OptionalInt.of(size));
                // A full page may have more behind it; a short one is the end of the trail.
                Optional<Long> next =
                    page.events().size() < size
                        ? Optional.empty()
                        : Optional.of(page.events().getLast().seq());
                return new Pager.Page<>(page.events(), next);
              });
      if (json.requested()) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode events = answer.putArray("events");
        read.items().forEach(e -> events.add(WireJson.MAPPER.valueToTree(e)));
        read.more().ifPresent(n -> answer.put("next_after", n));
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
      Lists.more(terminal, "events", read);
      return ExitCodes.OK;
    }
  }
}
