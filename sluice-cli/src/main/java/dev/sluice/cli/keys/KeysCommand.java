package dev.sluice.cli.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.KeyFormatException;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code sluice keys}: local key management; nothing here talks to a server. */
@Command(
    name = "keys",
    description = "Create signing keys on this machine.",
    subcommands = {KeysCommand.Generate.class, KeysCommand.ExportPublic.class})
public final class KeysCommand {

  /** {@code sluice keys generate}. */
  @Command(
      name = "generate",
      description = {
        "Generate a key pair: FILE holds the private key (mode 0600; it never leaves this machine),",
        "FILE.pub the public key to register with 'sluice certifier add'."
      })
  static final class Generate implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Private key file.")
    private Path out;

    @Option(
        names = "--scheme",
        paramLabel = "SCHEME",
        defaultValue = "ed25519",
        converter = SchemeConverter.class,
        completionCandidates = SchemeNames.class,
        description = "ed25519 or ecdsa-p256 (default: ${DEFAULT-VALUE}).")
    private KeyScheme scheme;

    @Option(names = "--force", description = "Replace FILE and FILE.pub if they exist.")
    private boolean force;

    @Mixin private JsonOption json;

    @Override
    public Integer call() {
      Path pub = publicPath(out);
      if (!force) {
        for (Path p : new Path[] {out, pub}) {
          if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new CommandFailedException(p + " exists; pass --force to replace it");
          }
        }
      }
      SigningKey key = SigningKey.generate(scheme);
      KeyFiles.writePrivate(out, key, force);
      KeyFiles.writePublic(pub, key.verificationKey(), force);
      PrintWriter stdout = Terminal.of(spec).out();
      ObjectNode publicKey = key.verificationKey().toTufJson();
      if (json.requested()) {
        ObjectNode result = publicKey.objectNode();
        result.put("keyid", key.keyId());
        result.set("public_key", publicKey);
        result.put("private_key_file", out.toString());
        result.put("public_key_file", pub.toString());
        Output.json(stdout, result);
      } else {
        stdout.println("key id       " + key.keyId());
        stdout.println("private key  " + out + " (mode 0600; keep it on this machine)");
        stdout.println("public key   " + pub);
        Output.json(stdout, publicKey);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice keys export-public}. */
  @Command(
      name = "export-public",
      description = {
        "Write the public half of a private key file (e.g. for 'sluice tuf root draft",
        "--root-key' or 'sluice tuf product-key set --public-key'); default FILE.pub."
      })
  static final class ExportPublic implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key.")
    @InputFile
    private Path key;

    @Option(names = "--out", paramLabel = "PUBFILE", description = "Default: FILE.pub.")
    private Path out;

    @Option(names = "--force", description = "Replace PUBFILE if it exists.")
    private boolean force;

    @Override
    public Integer call() {
      Path target = out != null ? out : publicPath(key);
      if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new CommandFailedException(target + " exists; pass --force to replace it");
      }
      SigningKey signing;
      try {
        signing = KeyFiles.readPrivate(key);
      } catch (dev.sluice.trust.TrustException e) {
        throw new CommandFailedException(e.getMessage());
      }
      KeyFiles.writePublic(target, signing.verificationKey(), force);
      PrintWriter stdout = Terminal.of(spec).out();
      stdout.println("key id       " + signing.keyId());
      stdout.println("public key   " + target);
      return ExitCodes.OK;
    }
  }

  /** Where the public half of the private key file {@code out} goes: {@code out.pub}. */
  static Path publicPath(Path out) {
    return out.resolveSibling(out.getFileName() + ".pub");
  }

  /** Converts {@code ed25519}/{@code ecdsa-p256} to a {@link KeyScheme}. */
  static final class SchemeConverter implements ITypeConverter<KeyScheme> {
    @Override
    public KeyScheme convert(String value) {
      try {
        return KeyScheme.fromCliName(value);
      } catch (KeyFormatException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The scheme names, for help and completion. */
  static final class SchemeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(KeyScheme.values()).map(KeyScheme::cliName).iterator();
    }
  }
}
