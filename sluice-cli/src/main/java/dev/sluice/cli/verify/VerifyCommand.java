package dev.sluice.cli.verify;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.NoSuchInputFileException;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Progress;
import dev.sluice.trust.chain.BundleChainSource;
import dev.sluice.trust.chain.ChainSource;
import dev.sluice.trust.chain.ChainVerificationException;
import dev.sluice.trust.chain.HttpChainSource;
import dev.sluice.trust.chain.ReleaseChainVerifier;
import dev.sluice.trust.chain.TargetNotFoundException;
import dev.sluice.trust.chain.VerifiedRelease;
import dev.sluice.trust.chain.VerifierState;
import dev.sluice.trust.chain.VerifyBundle;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tuf.TargetInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice verify}: checks a file or a release like {@code cosign verify-blob}, walking the
 * whole chain from the pinned TUF root to the certifiers' keys with public data only (see
 * docs/verify.md).
 */
@Command(
    name = "verify",
    description = {
      "Verify a release FILE, or every artifact of a RELEASE-ID, with public data only, and"
          + " print each link of the chain: TUF metadata and target (threshold signatures,"
          + " freshness), log checkpoint (consistent with the last one seen), inclusion of the"
          + " release record, not revoked, statement matches the file, certifiers' sign-offs meet"
          + " the logged policy, policy chain endorsed.",
      "Exit 0 only if every link holds, 1 if one breaks (the message says which), 2 on a"
          + " usage error, 4 if a file named does not exist. See docs/verify.md."
    },
    subcommands = {BundleCommand.class})
public final class VerifyCommand implements Callable<Integer> {
  private static final Pattern RELEASE_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]{0,63}");

  @Spec private CommandSpec spec;

  @Mixin private TrustAnchors anchors;

  @Option(names = "--server", paramLabel = "URL", description = "The Sluice server to check.")
  private URI server;

  @Option(
      names = "--bundle",
      paramLabel = "FILE",
      description = "Verify offline from a bundle made by 'sluice verify bundle'.")
  @InputFile
  private Path bundle;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "Where the last checkpoint and TUF metadata are kept between runs (a fork or a"
              + " rollback is noticed against them). Without it, nothing is remembered.")
  private Path state;

  @Option(
      names = "--product",
      paramLabel = "PRODUCT",
      description = "Look for FILE among this product's targets only.")
  private String product;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE|RELEASE-ID",
      description = "A file to verify, or the id of a release whose artifacts to verify.")
  private String subject;

  @Override
  public Integer call() {
    Terminal terminal = Terminal.of(spec);
    ChainPrinter printer = new ChainPrinter(terminal.out());
    Optional<VerifyBundle> offline = Optional.ofNullable(bundle).map(this::readBundle);
    ChainSource source = source(offline);
    if (subject == null && offline.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give a FILE or a RELEASE-ID to verify");
    }
    if (subject != null && !isFile(subject) && !RELEASE_ID.matcher(subject).matches()) {
      // Not a release id, so the operator meant a file: a missing one, like everywhere else.
      throw missingFile(subject);
    }
    byte[] rootBytes = anchors.rootBytes(spec);
    var logKey = anchors.logVerifier(spec);
    ReleaseChainVerifier verifier =
        ReleaseChainVerifier.builder()
            .source(source)
            .trustedRoot(rootBytes)
            .logKey(logKey)
            .state(state == null ? VerifierState.inMemory() : VerifierState.inDirectory(state))
            .clock(Clock.systemUTC())
            .onLink(printer)
            .build();
    try {
      if (subject != null && isFile(subject)) {
        return verifyFile(verifier, Path.of(subject), printer, terminal);
      }
      String releaseId = subject == null ? offline.get().releaseId() : subject;
      if (!RELEASE_ID.matcher(releaseId).matches()) {
        throw new ParameterException(spec.commandLine(), "not a release id: " + releaseId);
      }
      return verifyRelease(verifier, releaseId, offline.isPresent(), printer, terminal);
    } catch (ChainVerificationException e) {
      printer.broken(e);
      terminal.err().println("sluice: verification FAILED at the " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private int verifyFile(
      ReleaseChainVerifier verifier, Path file, ChainPrinter printer, Terminal terminal) {
    Digest digest;
    try (Progress hashing =
        Progress.of(
            terminal.err(), "sha256 " + file.getFileName(), size(file), terminal.errIsTerminal())) {
      digest = Digest.of(file, hashing::advance);
    }
    terminal
        .out()
        .println(
            "Verifying "
                + file
                + " (sha256 "
                + digest.sha256().hex()
                + ", "
                + digest.size()
                + " bytes) with "
                + describe());
    List<TargetInfo> targets =
        verifier.findTargets(digest.sha256(), digest.size(), Optional.ofNullable(product));
    if (targets.isEmpty()) {
      throw new TargetNotFoundException(
          "no "
              + (product == null ? "product's" : product + "'s")
              + " fresh TUF metadata lists a file with sha256 "
              + digest.sha256().hex()
              + " and "
              + digest.size()
              + " bytes");
    }
    for (TargetInfo target : targets) {
      String[] parts = target.path().split("/", 3);
      terminal.out().println("Target " + target.path() + ":");
      VerifiedRelease release =
          verifier.verifyTarget(parts[0], parts[1], parts[2], digest.sha256(), digest.size());
      printer.verified(release);
    }
    return ExitCodes.OK;
  }

  private int verifyRelease(
      ReleaseChainVerifier verifier,
      String releaseId,
      boolean offline,
      ChainPrinter printer,
      Terminal terminal) {
    terminal.out().println("Verifying release " + releaseId + " with " + describe());
    VerifiedRelease release = verifier.verifyRelease(releaseId);
    if (offline) {
      terminal
          .out()
          .println(
              "  (a bundle holds no artifacts: give FILE to check one against the verified target)");
    } else {
      for (String path : release.targetPaths()) {
        try (Progress progress =
            Progress.of(
                terminal.err(),
                path.substring(path.lastIndexOf('/') + 1),
                size(release, path),
                terminal.errIsTerminal())) {
          verifier.download(path, progress.counting(OutputStream.nullOutputStream()));
        }
        printer.artifact(path + " downloaded; its sha256 and size are the target's");
      }
    }
    printer.verified(release);
    return ExitCodes.OK;
  }

  private RuntimeException missingFile(String subject) {
    try {
      return new NoSuchInputFileException(Path.of(subject), "FILE|RELEASE-ID");
    } catch (java.nio.file.InvalidPathException e) {
      return new ParameterException(
          spec.commandLine(), "neither a file nor a release id: " + subject);
    }
  }

  /** The size the release record gives the artifact at TUF target {@code path}. */
  private static long size(VerifiedRelease release, String path) {
    String prefix = release.product() + "/" + release.version() + "/";
    return release.artifacts().stream()
        .filter(a -> path.equals(prefix + a.name()))
        .mapToLong(a -> a.size())
        .findFirst()
        .orElse(0);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isFile(String subject) {
    try {
      return Files.isRegularFile(Path.of(subject));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  private ChainSource source(Optional<VerifyBundle> offline) {
    if ((server == null) == offline.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --server or --bundle");
    }
    if (offline.isPresent()) {
      return new BundleChainSource(offline.get(), bundle.toString());
    }
    try {
      return new HttpChainSource(server);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
    }
  }

  private String describe() {
    return server != null ? server.toString() : "bundle " + bundle;
  }

  private VerifyBundle readBundle(Path file) {
    try {
      return VerifyBundle.parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "--bundle: no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--bundle: " + file + " is not a verify bundle: " + e.getMessage());
    }
  }

  /** SHA-256 and size of a file. */
  record Digest(Sha256 sha256, long size) {
    static Digest of(Path file, LongConsumer read) {
      MessageDigest digest = Sha256.newDigest();
      long size = 0;
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
          size += n;
          read.accept(n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      return new Digest(Sha256.fromBytes(digest.digest()), size);
    }
  }
}
