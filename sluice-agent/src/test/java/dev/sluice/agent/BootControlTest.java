package dev.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootControlTest {
  @TempDir Path temp;

  private static VerifiedTarget target(String version, byte[] image) {
    return new VerifiedTarget(
        "acme-phone",
        new ReleaseVersion(version),
        "system.img",
        Sha256.of(image),
        image.length,
        3,
        "rel_1",
        Optional.empty());
  }

  @Test
  void pendingSlotIsConfirmedAndItsVersionBecomesTheHighest() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    byte[] image = "image 2.0.0".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(temp.resolve("download.img"), image);
    BootControl control = slots.writeSlot(BootControl.factory(), "b", file, target("2.0.0", image));
    control = control.withPending("b", 3);
    slots.write(control);

    BootControl booted = slots.read().bootingPending();
    assertThat(booted.running()).isEqualTo("b");
    assertThat(booted.triesLeft()).isEqualTo(2);
    BootControl confirmed = booted.confirmed();

    assertThat(confirmed.active()).isEqualTo("b");
    assertThat(confirmed.pending()).isEmpty();
    assertThat(confirmed.highestVersion()).contains(new ReleaseVersion("2.0.0"));
    assertThat(slots.intact(confirmed, "b")).isTrue();
    assertThat(Files.readAllBytes(temp.resolve("slots/b/system.img"))).isEqualTo(image);
  }

  @Test
  void fallingBackKeepsTheActiveSlotAndTheHighestVersion() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    byte[] image = "image 2.0.0".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(temp.resolve("download.img"), image);
    BootControl pending =
        slots
            .writeSlot(BootControl.factory(), "b", file, target("2.0.0", image))
            .withPending("b", 1);

    BootControl back = pending.bootingPending().fellBack();

    assertThat(back.active()).isEqualTo("a");
    assertThat(back.running()).isEqualTo("a");
    assertThat(back.pending()).isEmpty();
    assertThat(back.highestVersion()).isEmpty();
  }

  @Test
  void slotWhoseImageChangedOnDiskIsNotIntact() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    byte[] image = "image 1.0.0".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(temp.resolve("download.img"), image);
    BootControl control = slots.writeSlot(BootControl.factory(), "b", file, target("1.0.0", image));
    Files.write(temp.resolve("slots/b/system.img"), "tampered!!!".getBytes(StandardCharsets.UTF_8));

    assertThat(slots.intact(control, "b")).isFalse();
  }

  @Test
  void imageThatChangedBetweenVerificationAndInstallIsRefused() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    byte[] image = "image 1.0.0".getBytes(StandardCharsets.UTF_8);
    Path file =
        Files.write(temp.resolve("download.img"), "other bytes".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> slots.writeSlot(BootControl.factory(), "b", file, target("1.0.0", image)))
        .isInstanceOf(UpdateRefusedException.class)
        .extracting(e -> ((UpdateRefusedException) e).refusal())
        .isEqualTo(Refusal.TAMPERED);
    assertThat(slots.read().slot("b")).isEmpty();
    assertThat(temp.resolve("slots/b/system.img")).doesNotExist();
  }

  @Test
  void malformedBootControlFileIsAStateErrorNamingTheFile() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    Files.writeString(temp.resolve("slots/boot-control.json"), "{\"format\":\"x\"}");

    assertThatThrownBy(slots::read)
        .isInstanceOf(AgentStateException.class)
        .hasMessageContaining("boot-control.json");
  }

  @Test
  void pendingSlotWithoutAnImageCannotExist() {
    assertThatThrownBy(() -> BootControl.factory().withPending("b", 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bootControlSurvivesItsJsonForm() throws Exception {
    Slots slots = new Slots(temp.resolve("slots"));
    byte[] image = "image 1.0.0".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(temp.resolve("download.img"), image);
    BootControl control =
        slots
            .writeSlot(BootControl.factory(), "b", file, target("1.0.0", image))
            .withPending("b", 3)
            .bootingPending()
            .withProduct("acme-phone");
    slots.write(control);

    assertThat(slots.read()).isEqualTo(control);
  }
}
