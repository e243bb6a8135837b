package dev.sluice.api.ddi;

/** {@code PUT .../installedBase}: the version the device runs. */
public record InstalledBase(String version) {}
