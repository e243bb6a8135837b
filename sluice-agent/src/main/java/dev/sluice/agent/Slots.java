package dev.sluice.agent;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A/B slots on a host: directories {@code a} and {@code b} holding one image file each, and {@code
 * boot-control.json} (see {@link BootControl}). Writing a slot first forgets it in the boot-control
 * file, then writes the image under a temporary name, fsyncs and renames it: a slot is listed only
 * while its image is complete and verified.
 */
public final class Slots {
  private static final String CONTROL = "boot-control.json";

  private final Path dir;

  public Slots(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("a"));
      Files.createDirectories(dir.resolve("b"));
    } catch (IOException e) {
      throw new AgentStateException("cannot create the slots in " + dir + ": " + e, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path slotDir(String slot) {
    return dir.resolve(slot);
  }

  /** The boot-control file, or the factory state if there is none yet. */
  public BootControl read() {
    Path file = dir.resolve(CONTROL);
    if (!Files.exists(file)) {
      return BootControl.factory();
    }
    try {
      return BootControl.fromJson(CanonicalJson.parse(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new AgentStateException("cannot read " + file + ": " + e, e);
    } catch (RuntimeException e) {
      throw new AgentStateException(file + " is malformed: " + e.getMessage(), e);
    }
  }

  public void write(BootControl control) {
    AtomicFiles.write(dir.resolve(CONTROL), CanonicalJson.encode(control.toJson()));
  }

  /**
   * Copies a verified image into {@code slot} as {@code file}: the slot is forgotten first, the
   * copy is hashed again while it is written, fsynced and renamed; other files in the slot go.
   *
   * @return the control with the slot holding the image (not yet written: the caller does)
   * @throws UpdateRefusedException if the copy does not have the verified digest
   */
  public BootControl writeSlot(BootControl control, String slot, Path image, VerifiedTarget target)
      throws IOException {
    BootControl forgotten = control.withSlot(slot, Optional.empty());
    write(forgotten);
    Path slotDir = slotDir(slot);
    Path temp = slotDir.resolve(".image.tmp");
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = Files.newInputStream(image);
        OutputStream out =
            Files.newOutputStream(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    if (!Sha256.fromBytes(digest.digest()).matches(target.sha256())) {
      Files.deleteIfExists(temp);
      throw new UpdateRefusedException(
          Refusal.TAMPERED, "the image changed on disk between verification and install");
    }
    AtomicFiles.syncFile(temp);
    clearExcept(slotDir, temp);
    AtomicFiles.moveDurably(temp, slotDir.resolve(target.file()));
    return forgotten.withSlot(
        slot,
        Optional.of(
            new BootControl.SlotImage(
                target.file(), target.version(), target.sha256(), target.length())));
  }

  /** Records an image that an external installer wrote into {@code slot}. */
  public BootControl recordInstalled(BootControl control, String slot, VerifiedTarget target) {
    return control.withSlot(
        slot,
        Optional.of(
            new BootControl.SlotImage(
                target.file(), target.version(), target.sha256(), target.length())));
  }

  /** Whether the slot's image file still has the digest the boot-control file lists. */
  public boolean intact(BootControl control, String slot) {
    Optional<BootControl.SlotImage> image = control.slot(slot);
    if (image.isEmpty()) {
      return true;
    }
    Path file = slotDir(slot).resolve(image.get().file());
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = Sha256.newDigest();
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return Sha256.fromBytes(digest.digest()).matches(image.get().sha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void clearExcept(Path slotDir, Path keep) throws IOException {
    try (Stream<Path> files = Files.list(slotDir)) {
      for (Path f : files.toList()) {
        if (!f.equals(keep) && Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
    }
  }
}
