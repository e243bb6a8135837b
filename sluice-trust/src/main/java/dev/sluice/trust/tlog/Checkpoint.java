package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A log's tree head as the body of a C2SP tlog-checkpoint: origin, tree size, root hash and
 * optional extension lines. Only meaningful once the signed note carrying it has been verified
 * ({@link #fromVerifiedNote}); {@link #parse} is strict so that one body has exactly one reading.
 *
 * @param origin the log identity, non-empty, one line
 * @param size the number of leaves
 * @param rootHash the RFC 9162 root of the first {@code size} leaves
 * @param extensions opaque, non-empty extra lines (NOT RECOMMENDED by the spec)
 */
public record Checkpoint(String origin, long size, Hash rootHash, List<String> extensions) {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Pattern BASE64_32 = Pattern.compile("[A-Za-z0-9+/]{43}=");

  public Checkpoint {
    requireLine(origin, "origin");
    if (size < 0) {
      throw new MalformedCheckpointException("tree size must not be negative: " + size);
    }
    if (rootHash == null) {
      throw new MalformedCheckpointException("root hash is missing");
    }
    extensions = List.copyOf(extensions);
    extensions.forEach(line -> requireLine(line, "extension line"));
  }

  public Checkpoint(String origin, long size, Hash rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /** The note text: origin, decimal size, base64 root and extension lines, each ending in LF. */
  public String toBody() {
    StringBuilder body = new StringBuilder();
    body.append(origin).append('\n');
    body.append(size).append('\n');
    body.append(rootHash.base64()).append('\n');
    extensions.forEach(line -> body.append(line).append('\n'));
    return body.toString();
  }

  /** Parses a checkpoint body, rejecting any byte a canonical {@link #toBody} would not write. */
  public static Checkpoint parse(String body) {
    if (body == null || !body.endsWith("\n")) {
      throw new MalformedCheckpointException("body must end with a newline");
    }
    List<String> lines =
        new ArrayList<>(Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1)));
    if (lines.size() < 3) {
      throw new MalformedCheckpointException("needs origin, size and root hash lines");
    }
    String sizeLine = lines.get(1);
    if (!DECIMAL.matcher(sizeLine).matches()) {
      throw new MalformedCheckpointException("tree size is not a canonical decimal: " + sizeLine);
    }
    long size;
    try {
      size = Long.parseLong(sizeLine);
    } catch (NumberFormatException e) {
      throw new MalformedCheckpointException("tree size is out of range: " + sizeLine);
    }
    String rootLine = lines.get(2);
    if (!BASE64_32.matcher(rootLine).matches()) {
      throw new MalformedCheckpointException("root hash is not 32 bytes of padded base64");
    }
    Hash root = new Hash(Base64.getDecoder().decode(rootLine));
    if (!root.base64().equals(rootLine)) {
      throw new MalformedCheckpointException("root hash base64 is not canonical");
    }
    return new Checkpoint(lines.get(0), size, root, lines.subList(3, lines.size()));
  }

  /** The checkpoint carried by a note whose signature has already been verified. */
  public static Checkpoint fromVerifiedNote(VerifiedNote note) {
    return parse(note.text());
  }

  private static void requireLine(String line, String what) {
    if (line == null || line.isEmpty()) {
      throw new MalformedCheckpointException(what + " must not be empty");
    }
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) < 0x20) {
        throw new MalformedCheckpointException(what + " contains a control character");
      }
    }
  }
}
