package dev.sluice.cli.verify;

import dev.sluice.cli.command.InputFile;
import dev.sluice.trust.tlog.MalformedNoteException;
import dev.sluice.trust.tlog.NoteVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The two things a verifier must obtain out of band, never from the server it checks: the pinned
 * TUF root and the log's verifier key.
 */
final class TrustAnchors {
  @Option(
      names = "--root",
      paramLabel = "ROOT.JSON",
      description = "The pinned TUF root metadata, obtained out of band (required).")
  @InputFile
  Path root;

  @Option(
      names = "--log-key",
      paramLabel = "KEY",
      description =
          "The log's verifier key (<name>+<hex id>+<base64 key>), or a file holding it,"
              + " obtained out of band (required).")
  String logKey;

  byte[] rootBytes(CommandSpec spec) {
    if (root == null) {
      throw new ParameterException(spec.commandLine(), "--root ROOT.JSON is required");
    }
    try {
      return Files.readAllBytes(root);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "--root: no such file: " + root);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--root: cannot read " + root + ": " + e);
    }
  }

  NoteVerifier logVerifier(CommandSpec spec) {
    if (logKey == null) {
      throw new ParameterException(spec.commandLine(), "--log-key KEY is required");
    }
    String text = logKey.strip();
    if (!text.contains("+") && !text.isEmpty() && !text.contains("\0")) {
      Path file = Path.of(text);
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(
            spec.commandLine(), "--log-key: neither a vkey nor a file: " + text);
      }
      try {
        text = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--log-key: cannot read " + file);
      }
    }
    try {
      return NoteVerifier.parse(text);
    } catch (MalformedNoteException e) {
      throw new ParameterException(spec.commandLine(), "--log-key: " + e.getMessage());
    }
  }
}
