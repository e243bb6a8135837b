package dev.sluice.cli.fleet;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.core.device.ControllerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The token file of a simulated fleet: one device per line, {@code controller_id,target_token}, as
 * the registration writes it; blank lines, lines starting with '#' and the header line are skipped
 * (this file's header, or the {@code controller_id,token} header of {@code sluice device register
 * --tokens-out}, so that its file can be used as it is). The file holds secrets, so it is written
 * readable by its owner only.
 */
public final class DeviceTokens {
  static final String HEADER = "controller_id,target_token";
  private static final String REGISTER_HEADER = "controller_id,token";

  private DeviceTokens() {}

  /**
   * The first {@code count} devices of the file.
   *
   * @throws CommandFailedException if a line is malformed, an id repeats, or the file has fewer
   */
  public static List<SimulatedDevice> read(Path file, int count) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<SimulatedDevice> devices = new ArrayList<>();
    Set<ControllerId> seen = new HashSet<>();
    for (int i = 0; i < lines.size() && devices.size() < count; i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()
          || line.startsWith("#")
          || line.equals(HEADER)
          || line.equals(REGISTER_HEADER)) {
        continue;
      }
      String[] fields = line.split(",", -1);
      try {
        if (fields.length != 2) {
          throw new IllegalArgumentException("expected controller_id,target_token");
        }
        ControllerId id = new ControllerId(fields[0].strip());
        if (!seen.add(id)) {
          throw new IllegalArgumentException("device " + id + " is listed twice");
        }
        devices.add(SimulatedDevice.withTargetToken(devices.size(), id, fields[1].strip()));
      } catch (IllegalArgumentException e) {
        throw new CommandFailedException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (devices.size() < count) {
      throw new CommandFailedException(
          file + " lists " + devices.size() + " devices, fewer than the " + count + " asked for");
    }
    return List.copyOf(devices);
  }

  /** Writes the devices to {@code file} (replacing it), mode 0600 where POSIX permissions exist. */
  public static void write(Path file, List<SimulatedDevice> devices) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (SimulatedDevice device : devices) {
      if (device.gateway()) {
        throw new IllegalArgumentException("a token file lists target tokens, not gateway tokens");
      }
      text.append(device.controllerId().value()).append(',').append(device.token()).append('\n');
    }
    try {
      Path absolute = file.toAbsolutePath();
      Path temp =
          Files.createTempFile(absolute.getParent(), ".tokens", ".tmp", permissions(absolute));
      Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(
          temp,
          absolute,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.nio.file.attribute.FileAttribute<?>[] permissions(Path file) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new java.nio.file.attribute.FileAttribute<?>[0];
    }
    return new java.nio.file.attribute.FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }
}
