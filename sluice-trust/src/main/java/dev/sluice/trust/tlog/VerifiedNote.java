package dev.sluice.trust.tlog;

import java.util.List;

/**
 * The text of a signed note after {@link SignedNote#open} checked it: at least one configured key
 * signed exactly this text, and every signature from a configured key verified. Only {@link
 * SignedNote} can create one.
 */
public final class VerifiedNote {
  private final String text;
  private final List<NoteSignature> verifiedSignatures;
  private final List<NoteSignature> unknownSignatures;

  VerifiedNote(
      String text, List<NoteSignature> verifiedSignatures, List<NoteSignature> unknownSignatures) {
    this.text = text;
    this.verifiedSignatures = List.copyOf(verifiedSignatures);
    this.unknownSignatures = List.copyOf(unknownSignatures);
  }

  /** The note text, ending in a newline. */
  public String text() {
    return text;
  }

  /** Signatures from configured keys, all of which verified; never empty. */
  public List<NoteSignature> verifiedSignatures() {
    return verifiedSignatures;
  }

  /** Signatures from keys that were not configured; ignored, never checked. */
  public List<NoteSignature> unknownSignatures() {
    return unknownSignatures;
  }

  /** Whether a configured key with this name verified the note. */
  public boolean isSignedBy(String keyName) {
    return verifiedSignatures.stream().anyMatch(s -> s.keyName().equals(keyName));
  }

  @Override
  public String toString() {
    return "VerifiedNote[" + verifiedSignatures.size() + " verified signatures]";
  }
}
