package dev.sluice.cli.command;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --filter} and {@code --sort} options of the release, rollout and audit lists (a
 * picocli mixin): passed to the server as they are, which checks them and answers what is wrong.
 */
public final class ListFilterOptions {
  @Option(
      names = "--filter",
      paramLabel = "RSQL",
      description =
          "Only items the filter selects, in the devices' filter language (docs/device-filters.md),"
              + " e.g. 'state=in=(published,revoked);created=ge=2026-12-01T00:00:00Z'. Releases"
              + " filter on product, state, version, created; rollouts on product, release, state,"
              + " created; the audit trail on actor, action (or type), subject, at.")
  private String filter;

  @Option(
      names = "--sort",
      paramLabel = "ORDER",
      description =
          "FIELD for oldest first, -FIELD for newest first: releases and rollouts sort by created"
              + " (default -created), the audit trail by at (default at).")
  private String sort;

  /** {@code --filter}, as given. */
  public Optional<String> filter() {
    return Optional.ofNullable(filter);
  }

  /** {@code --sort}, as given. */
  public Optional<String> sort() {
    return Optional.ofNullable(sort);
  }
}
