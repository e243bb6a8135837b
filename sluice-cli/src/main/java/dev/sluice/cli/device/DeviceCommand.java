package dev.sluice.cli.device;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.client.BulkRegistration;
import dev.sluice.cli.client.Device;
import dev.sluice.cli.client.DevicePage;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.client.TransportException;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code sluice device}: register, list, show and tag devices. */
@Command(
    name = "device",
    description = "Register devices, select them with target filters, assign them releases.",
    subcommands = {
      DeviceCommand.Register.class,
      DeviceCommand.ListDevices.class,
      DeviceCommand.Count.class,
      DeviceCommand.Show.class,
      DeviceCommand.Tag.class,
      DeviceAssignCommand.class,
      DeviceActionsCommand.class,
      DeviceCredentialCommands.RotateToken.class,
      DeviceCredentialCommands.RevokeToken.class,
      DeviceCredentialCommands.RotateTokens.class,
      DeviceCredentialCommands.Decommission.class,
      DeviceHistoryCommand.class
    })
public final class DeviceCommand {

  /** {@code sluice device register}. */
  @Command(
      name = "register",
      description = {
        "Register one device (ID --product P) or many from a file (--file devices.csv|.json),",
        "all or nothing. Generated target tokens are printed once: keep them.",
        "CSV header: controller_id,product[,tags][,token]; tags separated by ';'."
      })
  static final class Register extends ApiCommand {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Option(names = "--product", paramLabel = "PRODUCT", description = "The product it runs.")
    private String product;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
    private List<String> tags = new ArrayList<>();

    @Option(
        names = "--device-token",
        paramLabel = "TOKEN",
        description = "Use this target token instead of a generated one.")
    private String deviceToken;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "A .csv or .json file of devices to register at once.")
    @InputFile
    private Path file;

    @Option(
        names = "--tokens-out",
        paramLabel = "FILE",
        description =
            "Write the generated tokens as CSV (controller_id,token) to this new file (mode"
                + " 0600) instead of standard output.")
    private Path tokensOut;

    @Option(
        names = "--idempotency-key",
        paramLabel = "KEY",
        description = {
          "With --file: the Idempotency-Key to send (16-255 visible ASCII characters; a random",
          "one is made and shown if not given). Rerunning the same file with the same key within",
          "24 hours returns the same answer, tokens included, if the first answer was lost."
        })
    private String idempotencyKey;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws IOException {
      if (idempotencyKey != null && file == null) {
        throw usage("--idempotency-key goes with --file");
      }
      if (file != null) {
        if (id != null || product != null || !tags.isEmpty() || deviceToken != null) {
          throw usage(
              "--file registers the devices the file lists; drop ID, --product, --tag and"
                  + " --device-token");
        }
        return bulk(client, terminal);
      }
      if (id == null || product == null) {
        throw usage("give a device ID and --product, or --file");
      }
      if (tokensOut != null) {
        throw usage("--tokens-out goes with --file");
      }
      Device device = client.registerDevice(id, product, tags, Optional.ofNullable(deviceToken));
      if (json.requested()) {
        Output.json(terminal.out(), device.json());
        return ExitCodes.OK;
      }
      device.token().ifPresent(t -> terminal.out().println(t));
      terminal
          .err()
          .println(
              "registered device "
                  + device.controllerId()
                  + " ("
                  + device.product()
                  + ")"
                  + (device.token().isPresent()
                      ? "; its target token will not be shown again"
                      : "; it uses the token you gave"));
      return ExitCodes.OK;
    }

    private int bulk(SluiceClient client, Terminal terminal) throws IOException {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      String type;
      if (name.endsWith(".csv")) {
        type = "text/csv";
      } else if (name.endsWith(".json")) {
        type = "application/json";
      } else {
        throw usage("--file must end in .csv or .json, got " + file);
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw usage("--file " + file + " does not exist");
      }
      if (tokensOut != null && Files.exists(tokensOut)) {
        throw usage("--tokens-out " + tokensOut + " exists; it is never overwritten");
      }
      Path dir = tokensOut == null ? null : tokensOut.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw usage("--tokens-out: the directory " + dir + " does not exist");
      }
      String key = idempotencyKey != null ? idempotencyKey : java.util.UUID.randomUUID().toString();
      if (idempotencyKey == null) {
        terminal
            .err()
            .println(
                "idempotency key "
                    + key
                    + ": if this command is cut off, rerun it with --idempotency-key "
                    + key
                    + " within 24 hours to get the same tokens");
      }
      BulkRegistration registered;
      try {
        registered = client.registerDevices(bytes, type, Optional.of(key));
      } catch (TransportException e) {
        // The answer was lost (time-out, reset): the same key makes the retry safe.
        terminal.err().println("the answer was lost (" + e.getMessage() + "); retrying once");
        registered = client.registerDevices(bytes, type, Optional.of(key));
      }
      Map<String, String> tokens = registered.generatedTokens();
      if (json.requested() && tokensOut == null) {
        Output.json(terminal.out(), registered.json());
        return ExitCodes.OK;
      }
      StringBuilder csv = new StringBuilder("controller_id,token\n");
      tokens.forEach((device, token) -> csv.append(device).append(',').append(token).append('\n'));
      if (tokensOut != null) {
        writeSecret(tokensOut, csv.toString());
        terminal
            .err()
            .println(
                "registered "
                    + registered.count()
                    + " devices; "
                    + tokens.size()
                    + " generated tokens written to "
                    + tokensOut
                    + " (mode 0600)");
      } else {
        terminal.out().print(csv);
        terminal
            .err()
            .println(
                "registered "
                    + registered.count()
                    + " devices; the "
                    + tokens.size()
                    + " generated tokens above will not be shown again");
      }
      return ExitCodes.OK;
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec().commandLine(), message);
    }
  }

  /** Creates the file readable by its owner only, refusing to overwrite anything. */
  static void writeSecret(Path path, String content) throws IOException {
    try {
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(path);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(path + " exists; it is never overwritten", e);
    }
    Files.writeString(path, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** {@code sluice device list}. */
  @Command(name = "list", description = "List devices, optionally selected by a target filter.")
  static final class ListDevices extends ApiCommand {
    @Option(
        names = "--filter",
        paramLabel = "FILTER",
        description = "e.g. 'status=in=(unknown,error);tag==eu-*' (see docs/device-filters.md).")
    private String filter;

    @Option(
        names = "--product",
        paramLabel = "PRODUCT",
        description = "Only devices of this product.")
    private String product;

    @Mixin private PageOptions pages;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<Device, String> read =
          pages.read(
              (cursor, size) -> {
                DevicePage page =
                    client.devices(
                        Optional.ofNullable(filter),
                        Optional.ofNullable(product),
                        cursor,
                        OptionalInt.of(size));
                return new Pager.Page<>(page.devices(), page.next());
              });
      if (json.requested()) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode devices = answer.putArray("devices");
        read.items().forEach(d -> devices.add(d.json()));
        read.more().ifPresent(n -> answer.put("next", n));
        Output.json(terminal.out(), answer);
        return ExitCodes.OK;
      }
      Output.table(
          terminal.out(),
          List.of("CONTROLLER ID", "PRODUCT", "STATUS", "VERSION", "TAGS", "LAST SEEN"),
          read.items().stream()
              .map(
                  d ->
                      List.of(
                          d.controllerId(),
                          d.product(),
                          d.status(),
                          d.installedVersion().orElse("-"),
                          d.tags().isEmpty() ? "-" : String.join(",", d.tags()),
                          d.lastSeen().orElse("never")))
              .toList());
      pages.more(terminal, "devices", read);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device count}. */
  @Command(name = "count", description = "Count the devices a target filter selects.")
  static final class Count extends ApiCommand {
    @Option(
        names = "--filter",
        paramLabel = "FILTER",
        description = "Only devices matching the filter (docs/device-filters.md).")
    private String filter;

    @Option(
        names = "--product",
        paramLabel = "PRODUCT",
        description = "Only devices of this product.")
    private String product;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      terminal
          .out()
          .println(client.countDevices(Optional.ofNullable(filter), Optional.ofNullable(product)));
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device show}. */
  @Command(name = "show", description = "Show a device.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal.out(), client.device(id), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice device tag}. */
  @Command(name = "tag", description = "Add and remove a device's tags.")
  static final class Tag extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The device's controller id.")
    private String id;

    @Option(names = "--add", paramLabel = "TAG", description = "A tag to add (repeatable).")
    private List<String> add = new ArrayList<>();

    @Option(names = "--remove", paramLabel = "TAG", description = "A tag to remove (repeatable).")
    private List<String> remove = new ArrayList<>();

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (add.isEmpty() && remove.isEmpty()) {
        throw new ParameterException(spec().commandLine(), "give --add or --remove");
      }
      print(terminal.out(), client.tagDevice(id, add, remove), json.requested());
      return ExitCodes.OK;
    }
  }

  static void print(PrintWriter out, Device d, boolean json) {
    if (json) {
      Output.json(out, d.json());
      return;
    }
    out.println("device      " + d.controllerId());
    out.println("product     " + d.product());
    out.println("status      " + d.status());
    out.println("version     " + d.installedVersion().orElse("-"));
    d.installedRelease().ifPresent(r -> out.println("release     " + r));
    out.println("tags        " + (d.tags().isEmpty() ? "-" : String.join(", ", d.tags())));
    out.println("registered  " + d.registeredAt());
    out.println("last seen   " + d.lastSeen().orElse("never"));
    Map<String, String> attributes = d.attributes();
    if (!attributes.isEmpty()) {
      out.println("attributes");
      attributes.forEach((k, v) -> out.println("  " + k + " = " + v));
    }
  }
}
