package dev.sluice.cli.tuf;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.SignatureTally;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Root metadata signed by its key holders one at a time, each on their own machine: reading a root
 * file, checking that a key may sign it, adding that key's signature, and counting what is still
 * needed. Nothing here talks to a server.
 */
final class RootSigning {
  private static final String ROOT = RoleType.ROOT.typeName();

  private RootSigning() {}

  /** Reads a root metadata file (a draft, partly signed or complete). */
  static Metadata<Root> read(Path file) {
    try {
      return Metadata.parse(Files.readAllBytes(file), Root.class);
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(file + ": no such file");
    } catch (IOException e) {
      throw new CommandFailedException("cannot read " + file + ": " + e.getMessage());
    } catch (TrustException e) {
      throw new CommandFailedException(file + " is not TUF root metadata: " + e.getMessage());
    }
  }

  /**
   * Reads the root a rotation starts from and checks that it is signed by its own threshold: a key
   * holder's evidence of which keys the current root lists.
   */
  static Root trusted(Path file) {
    Metadata<Root> trusted = read(file);
    SignatureTally tally = SignatureTally.of(trusted, ROOT, trusted.signed());
    if (!tally.met()) {
      throw new CommandFailedException(
          file + " is not a complete root (" + tally.describe() + "); it cannot be trusted");
    }
    return trusted.signed();
  }

  /**
   * Adds (or replaces) {@code key}'s signature. The key must be one of the draft's root keys or,
   * for a rotation, of the trusted (current) root's. Refuses a draft whose earlier signatures by
   * keys either root lists no longer verify: its signed part changed after they were made.
   */
  static Metadata<Root> sign(
      Metadata<Root> draft, SigningKey key, Optional<Root> trusted, Instant now) {
    Root root = draft.signed();
    if (trusted.isPresent() && root.version() != trusted.get().version() + 1) {
      throw new CommandFailedException(
          "this draft is root version "
              + root.version()
              + " but the trusted root is version "
              + trusted.get().version()
              + "; a rotation is the trusted version plus one");
    }
    if (root.isExpired(now)) {
      throw new CommandFailedException(
          "this draft expired at " + root.expires() + "; ask for a new draft");
    }
    boolean listed =
        listed(root, key.keyId()) || trusted.map(t -> listed(t, key.keyId())).orElse(false);
    if (!listed) {
      String hint =
          root.version() > 1 && trusted.isEmpty()
              ? "; a key of the current root signs a rotation with --trusted-root CURRENT.root.json"
              : "";
      throw new CommandFailedException(
          "key "
              + key.keyId()
              + " is not a root key of this draft (version "
              + root.version()
              + ")"
              + (trusted.isPresent() ? " nor of the trusted root" : "")
              + "; it must not sign it"
              + hint);
    }
    for (SignatureTally tally : tallies(draft, trusted)) {
      if (!tally.invalid().isEmpty()) {
        throw new CommandFailedException(
            "the signature(s) by "
                + tally.invalid()
                + " do not verify over this file's signed part: it was changed after they were"
                + " made (or they are corrupt); refusing to sign it");
      }
    }
    for (SignatureTally tally : tallies(draft, trusted)) {
      if (tally.signed().contains(key.keyId())) {
        return draft; // already validly signed by this key: nothing to do
      }
    }
    List<Signature> others = new ArrayList<>();
    for (Signature s : draft.signatures()) {
      if (!s.keyId().equals(key.keyId())) {
        others.add(s);
      }
    }
    try {
      return draft.withSignatures(others).appendSignature(key);
    } catch (TrustException e) {
      throw new CommandFailedException(
          "cannot sign with key " + key.keyId() + ": " + e.getMessage());
    }
  }

  /** The draft's own root threshold, and the trusted root's for a rotation. */
  static List<SignatureTally> tallies(Metadata<Root> draft, Optional<Root> trusted) {
    List<SignatureTally> out = new ArrayList<>();
    out.add(SignatureTally.of(draft, ROOT, draft.signed()));
    trusted.ifPresent(t -> out.add(SignatureTally.of(draft, ROOT, t)));
    return out;
  }

  /** Prints each threshold with the keys that signed and those that have not. */
  static void printTallies(PrintWriter out, Metadata<Root> draft, Optional<Root> trusted) {
    List<SignatureTally> tallies = tallies(draft, trusted);
    out.println(
        "  new root (version " + draft.signed().version() + ") " + tallies.get(0).describe());
    if (tallies.size() > 1) {
      out.println(
          "  current root (version "
              + trusted.orElseThrow().version()
              + ") "
              + tallies.get(1).describe());
    }
  }

  /** Prints what a holder is about to sign. */
  static void describe(PrintWriter out, Root root) {
    out.println("root version    " + root.version());
    out.println("expires         " + root.expires());
    for (RoleType type : RoleType.values()) {
      RoleKeys role = root.role(type);
      out.printf(
          "%-15s %d of %d: %s%n",
          type.typeName() + " keys", role.threshold(), role.keyIds().size(), role.keyIds());
    }
    out.println("consistent snapshots " + root.consistentSnapshot());
  }

  /** Whether the root lists the key id among its root keys. */
  static boolean listed(Root root, String keyId) {
    return root.role(RoleType.ROOT).keyIds().contains(keyId);
  }
}
