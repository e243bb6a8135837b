package dev.sluice.server.testing.swupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images built by {@link SwuImage}, installed by the real SWUpdate in local mode ({@code swupdate
 * -i}), which checks the CMS signature, the hardware revision and the payload's sha256.
 */
class SwuImageInstallTest {
  private static final String HARDWARE = "board:rev1";

  @TempDir Path dir;
  private SigningCertificate signer;
  private Path target;
  private byte[] payload;

  @BeforeEach
  void setUp() {
    signer = SigningCertificate.generate(dir.resolve("signer"), "sluice test signer");
    target = dir.resolve("target.bin");
    payload = new byte[5000];
    new Random(42).nextBytes(payload);
  }

  private SwuImage image(SigningCertificate by) {
    return SwuImage.builder()
        .version("1.2.3")
        .hardwareCompatibility("rev1", "rev2")
        .rawFile("payload.bin", payload, target)
        .build(by);
  }

  @Test
  void signedImageInstallsItsPayloadIntoTheTargetFile() throws IOException {
    Path file = image(signer).writeTo(dir.resolve("image.swu"));

    LocalInstall.Result result = LocalInstall.run(file, signer, HARDWARE, dir);

    // The written target is the proof. SWUpdate 2022.12's -i mode now and then exits non-zero
    // while shutting its helper threads down after a successful install (seen in CI, with its own
    // success report in the log), so the exit code alone is not trusted either way here.
    assertThat(Files.readAllBytes(target)).as(result.output()).isEqualTo(payload);
    assertThat(result.succeeded() || result.output().contains("SWUpdate was successful"))
        .as(result.output())
        .isTrue();
  }

  @Test
  void imageSignedWithAnotherCertificateIsRefusedAndWritesNothing() {
    SigningCertificate stranger = SigningCertificate.generate(dir.resolve("stranger"), "stranger");
    Path file = image(stranger).writeTo(dir.resolve("image.swu"));

    LocalInstall.Result result = LocalInstall.run(file, signer, HARDWARE, dir);

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("Authentication of all signatures failed");
    assertThat(target).doesNotExist();
  }

  @Test
  void corruptedPayloadIsRefusedAndWritesNothing() {
    Path file = image(signer).withCorruptedPayload("payload.bin").writeTo(dir.resolve("bad.swu"));

    LocalInstall.Result result = LocalInstall.run(file, signer, HARDWARE, dir);

    assertThat(result.succeeded()).as(result.output()).isFalse();
    // SWUpdate logs the reason ("HASH mismatch") from its installer process, whose lines do not
    // always reach the captured output before the command exits; the refusal is what counts.
    assertThat(target).doesNotExist();
  }

  @Test
  void imageForOtherHardwareIsRefused() {
    Path file = image(signer).writeTo(dir.resolve("image.swu"));

    LocalInstall.Result result = LocalInstall.run(file, signer, "board:rev9", dir);

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("SW not compatible with hardware");
    assertThat(target).doesNotExist();
  }

  @Test
  void descriptionAndItsSignatureComeFirst() throws IOException {
    SwuImage image = image(signer);

    List<String> names = new ArrayList<>();
    try (CpioArchiveInputStream in =
        new CpioArchiveInputStream(new ByteArrayInputStream(image.bytes()))) {
      CpioArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        names.add(entry.getName());
        if (entry.getName().equals(SwuImage.DESCRIPTION)) {
          assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(image.description());
        }
      }
    }
    assertThat(names).containsExactly(SwuImage.DESCRIPTION, SwuImage.SIGNATURE, "payload.bin");
    assertThat(image.description())
        .contains("version = \"1.2.3\"", "\"rev1\", \"rev2\"", "type = \"rawfile\"")
        .contains("path = \"" + target + "\"");
  }
}
