package dev.sluice.cli.fleet;

import picocli.CommandLine.Command;

/** {@code sluice fleet}: work with fleets of devices as a whole. */
@Command(
    name = "fleet",
    description = "Fleets of devices as a whole: register one, simulate one against a server.",
    subcommands = {SimulateCommand.class, RegisterCommand.class})
public final class FleetCommand {}
