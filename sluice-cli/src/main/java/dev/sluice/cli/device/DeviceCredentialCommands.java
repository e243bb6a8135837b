package dev.sluice.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice device rotate-token|revoke-token|rotate-tokens|decommission}: a device's
 * credentials after registration.
 */
final class DeviceCredentialCommands {
  private DeviceCredentialCommands() {}

  /** {@code sluice device rotate-token ID}. */
  @Command(
      name = "rotate-token",
      description = {
        "Give a device a new target token; the old one stops working at once.",
        "The new token is printed once, alone on standard output."
      })
  static final class RotateToken extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode rotated = client.rotateDeviceToken(id);
      terminal.out().println(rotated.path("token").asText());
      terminal.err().println("rotated the target token of " + id + "; it will not be shown again");
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device revoke-token ID}. */
  @Command(
      name = "revoke-token",
      description = {
        "Revoke a device's target token: it stops working at once (a gateway token of its",
        "product still speaks for the device). rotate-token gives it a new one."
      })
  static final class RevokeToken extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      client.revokeDeviceToken(id);
      terminal.err().println("revoked the target token of " + id);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device decommission ID}. */
  @Command(
      name = "decommission",
      description = {
        "Decommission a device: no token speaks for it any more, it leaves device lists and the",
        "rollouts that have not assigned it anything yet; its history stays."
      })
  static final class Decommission extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      DeviceCommand.print(terminal.out(), client.decommissionDevice(id), json.requested());
      terminal.err().println("decommissioned device " + id);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device rotate-tokens --filter F --tokens-out FILE}. */
  @Command(
      name = "rotate-tokens",
      description = {
        "Give every device the filter selects a new target token (all or none), e.g. after a",
        "bulk registration whose answer was lost. The tokens go to a new file (mode 0600)."
      })
  static final class RotateTokens extends ApiCommand {
    @Option(
        names = "--filter",
        required = true,
        paramLabel = "FILTER",
        description = "A target filter (docs/device-filters.md); id==* selects every device.")
    private String filter;

    @Option(names = "--product", paramLabel = "PRODUCT", description = "Only this product's.")
    private String product;

    @Option(
        names = "--tokens-out",
        required = true,
        paramLabel = "FILE",
        description =
            "The new file the tokens are written to (controller_id,token); never overwritten.")
    private Path tokensOut;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws IOException {
      Path dir = tokensOut.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw usage("--tokens-out: the directory " + dir + " does not exist");
      }
      // The file is made first: once the server rotated, the new tokens must have somewhere to go.
      try {
        create(tokensOut);
      } catch (FileAlreadyExistsException e) {
        throw usage("--tokens-out " + tokensOut + " exists; it is never overwritten");
      }
      JsonNode rotated;
      try {
        rotated = client.rotateDeviceTokens(filter, Optional.ofNullable(product));
      } catch (RuntimeException e) {
        Files.deleteIfExists(tokensOut);
        throw e;
      }
      StringBuilder csv = new StringBuilder("controller_id,token\n");
      for (JsonNode d : rotated.path("devices")) {
        csv.append(d.path("controller_id").asText())
            .append(',')
            .append(d.path("token").asText())
            .append('\n');
      }
      Files.writeString(
          tokensOut, csv.toString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      terminal
          .err()
          .println(
              "rotated the target tokens of "
                  + rotated.path("count").asInt()
                  + " devices; written to "
                  + tokensOut
                  + " (mode 0600)");
      return ExitCodes.OK;
    }

    private static void create(Path path) throws IOException {
      try {
        Files.createFile(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(path);
      }
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec().commandLine(), message);
    }
  }
}
