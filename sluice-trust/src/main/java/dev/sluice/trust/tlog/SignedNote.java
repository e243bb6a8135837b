package dev.sluice.trust.tlog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Signs and opens C2SP signed notes. {@link #open} returns the text only when at least one
 * configured key signed it and no signature from a configured key is invalid; lines from unknown
 * keys are ignored, as the spec requires, so logs can rotate keys and witnesses can cosign.
 */
public final class SignedNote {
  /** Signatures accepted per note; the spec requires at least 16. */
  public static final int MAX_SIGNATURES = 100;

  static final String SIGNATURE_PREFIX = "\u2014 ";

  private SignedNote() {}

  /**
   * Signs {@code text} with every signer: {@code text + "\n" + one line per signer}.
   *
   * @throws IllegalArgumentException if the text does not end in a newline or contains control
   *     characters other than newline, or if there is no signer
   */
  public static String sign(String text, NoteSigner... signers) {
    byte[] textBytes = requireValidText(text);
    if (signers.length == 0) {
      throw new IllegalArgumentException("a signed note needs at least one signer");
    }
    StringBuilder note = new StringBuilder(text).append('\n');
    for (NoteSigner signer : signers) {
      note.append(new NoteSignature(signer.name(), signer.keyId(), signer.sign(textBytes)).line());
    }
    return note.toString();
  }

  /** As {@link #open(byte[], Collection)}. */
  public static VerifiedNote open(byte[] note, NoteVerifier... verifiers) {
    return open(note, Arrays.asList(verifiers));
  }

  /**
   * Parses and verifies a signed note against the configured verifiers.
   *
   * @throws MalformedNoteException if the note does not follow the format
   * @throws NoteVerificationException if a configured key's signature is invalid, two configured
   *     keys share the name and key ID of a signature, or no configured key signed the note
   */
  public static VerifiedNote open(byte[] note, Collection<? extends NoteVerifier> verifiers) {
    String decoded = decodeNote(note);
    // The text runs up to the last empty line and keeps its final newline. An LF byte never
    // occurs inside a multi-byte UTF-8 sequence, so byte and char positions of "\n\n" agree.
    int split = lastBlankLine(note);
    if (split < 0) {
      throw new MalformedNoteException("no blank line before the signatures");
    }
    byte[] textBytes = Arrays.copyOf(note, split + 1);
    String text = new String(textBytes, StandardCharsets.UTF_8);
    String signatureBlock = decoded.substring(text.length() + 1);
    if (signatureBlock.isEmpty() || !signatureBlock.endsWith("\n")) {
      throw new MalformedNoteException("signature lines must end with a newline");
    }
    String[] lines = signatureBlock.substring(0, signatureBlock.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new MalformedNoteException("more than " + MAX_SIGNATURES + " signatures");
    }
    Set<NoteSignature> verified = new LinkedHashSet<>();
    Set<NoteSignature> unknown = new LinkedHashSet<>();
    for (String line : lines) {
      NoteSignature signature = parseLine(line);
      List<NoteVerifier> matching = matching(verifiers, signature);
      if (matching.isEmpty()) {
        unknown.add(signature);
      } else if (matching.size() > 1) {
        throw new NoteVerificationException(signature.keyName(), "ambiguous key ID");
      } else {
        matching.get(0).verify(textBytes, signature.signature());
        verified.add(signature);
      }
    }
    if (verified.isEmpty()) {
      throw new NoteVerificationException(null, "note has no signature from a known key");
    }
    return new VerifiedNote(text, new ArrayList<>(verified), new ArrayList<>(unknown));
  }

  // Equal verifiers configured twice are one key; different keys with one name and ID are not.
  private static List<NoteVerifier> matching(
      Collection<? extends NoteVerifier> verifiers, NoteSignature signature) {
    Set<NoteVerifier> matching = new LinkedHashSet<>();
    for (NoteVerifier verifier : verifiers) {
      if (verifier.name().equals(signature.keyName()) && verifier.keyId() == signature.keyId()) {
        matching.add(verifier);
      }
    }
    return List.copyOf(matching);
  }

  private static NoteSignature parseLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new MalformedNoteException("signature line must start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw new MalformedNoteException("signature line needs a key name and a signature");
    }
    String name = rest.substring(0, space);
    if (!NoteKeys.isValidName(name)) {
      throw new MalformedNoteException("invalid key name in signature line");
    }
    byte[] blob = NoteKeys.decodeBase64(rest.substring(space + 1));
    if (blob == null || blob.length < 5) {
      throw new MalformedNoteException("signature is not base64 of a key ID and a signature");
    }
    int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
    return new NoteSignature(name, keyId, Arrays.copyOfRange(blob, 4, blob.length));
  }

  private static String decodeNote(byte[] note) {
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedNoteException("note is not valid UTF-8");
    }
    if (hasControlCharacter(decoded)) {
      throw new MalformedNoteException("note contains a control character other than newline");
    }
    return decoded;
  }

  private static int lastBlankLine(byte[] note) {
    for (int i = note.length - 2; i >= 0; i--) {
      if (note[i] == '\n' && note[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static byte[] requireValidText(String text) {
    if (text == null || text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    if (hasControlCharacter(text)) {
      throw new IllegalArgumentException("note text contains a control character");
    }
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      return Arrays.copyOf(encoded.array(), encoded.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("note text is not valid Unicode", e);
    }
  }

  private static boolean hasControlCharacter(String text) {
    return text.chars().anyMatch(c -> c < 0x20 && c != '\n');
  }
}
