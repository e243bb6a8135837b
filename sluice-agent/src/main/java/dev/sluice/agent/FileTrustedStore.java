package dev.sluice.agent;

import dev.sluice.trust.tuf.TrustedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TUF trusted metadata on disk, one {@code <role>.json} per role, each replaced atomically: after a
 * crash the store holds, per role, either the old verified file or the new verified one. This is
 * what makes the device's rollback and freeze protection survive reboots.
 */
final class FileTrustedStore implements TrustedStore {
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path dir;

  FileTrustedStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public Optional<byte[]> load(String roleName) {
    Path file = file(roleName);
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void store(String roleName, byte[] metadata) {
    AtomicFiles.write(file(roleName), metadata);
  }

  @Override
  public void delete(String roleName) {
    try {
      Files.deleteIfExists(file(roleName));
      AtomicFiles.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String roleName) {
    // Role names come from signed metadata; still, never let one name a path outside the store.
    if (!ROLE.matcher(roleName).matches() || roleName.contains("..")) {
      throw new IllegalArgumentException("unsafe role name: " + roleName);
    }
    return dir.resolve(roleName + ".json");
  }
}
