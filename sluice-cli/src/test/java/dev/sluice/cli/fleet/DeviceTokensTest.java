package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.core.device.ControllerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTokensTest {
  @TempDir Path dir;

  @Test
  void writtenTokensReadBackInOrderAndOnlyTheOwnerCanReadThem() throws IOException {
    List<SimulatedDevice> devices =
        List.of(
            SimulatedDevice.withTargetToken(0, new ControllerId("sim-000000"), "tok-a"),
            SimulatedDevice.withTargetToken(1, new ControllerId("sim-000001"), "tok-b"),
            SimulatedDevice.withTargetToken(2, new ControllerId("sim-000002"), "tok-c"));
    Path file = dir.resolve("tokens.csv");
    DeviceTokens.write(file, devices);

    assertThat(DeviceTokens.read(file, 3)).isEqualTo(devices);
    assertThat(DeviceTokens.read(file, 2)).isEqualTo(devices.subList(0, 2));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void commentsAndBlankLinesAreSkipped() throws IOException {
    Path file = dir.resolve("tokens.csv");
    Files.writeString(file, "# registered by hand\n\ncontroller_id,target_token\ndev-1, t1 \n");
    assertThat(DeviceTokens.read(file, 1))
        .containsExactly(SimulatedDevice.withTargetToken(0, new ControllerId("dev-1"), "t1"));
  }

  @Test
  void theTokensFileOfDeviceRegisterIsReadAsItIs() throws IOException {
    Path file = dir.resolve("registered.csv");
    Files.writeString(file, "controller_id,token\nphone-0000,t0\nphone-0001,t1\n");
    assertThat(DeviceTokens.read(file, 2))
        .containsExactly(
            SimulatedDevice.withTargetToken(0, new ControllerId("phone-0000"), "t0"),
            SimulatedDevice.withTargetToken(1, new ControllerId("phone-0001"), "t1"));
  }

  @Test
  void aFileWithTooFewDevicesIsRefused() throws IOException {
    Path file = dir.resolve("tokens.csv");
    Files.writeString(file, "dev-1,t1\ndev-2,t2\n");
    assertThatThrownBy(() -> DeviceTokens.read(file, 3))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("lists 2 devices, fewer than the 3 asked for");
  }

  @Test
  void malformedLinesNameTheirLine() throws IOException {
    Path file = dir.resolve("tokens.csv");
    Files.writeString(file, "dev-1,t1\ndev 2,t2\n");
    assertThatThrownBy(() -> DeviceTokens.read(file, 2))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("line 2: a controller id is");
    Files.writeString(file, "dev-1,t1\ndev-1,t2\n");
    assertThatThrownBy(() -> DeviceTokens.read(file, 2))
        .hasMessageContaining("line 2: device dev-1 is listed twice");
    Files.writeString(file, "dev-1\n");
    assertThatThrownBy(() -> DeviceTokens.read(file, 1))
        .hasMessageContaining("line 1: expected controller_id,target_token");
  }
}
