package dev.sluice.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that JSON Schema cannot express portably: no control characters in any string, well-formed
 * Unicode, and integers only. The embedded {@code sbom} and {@code provenance} documents are
 * third-party formats, so there only well-formed Unicode is required.
 */
final class ManifestLint {
  static final String CONTROL_CHARACTERS =
      "must not contain control characters (U+0000-U+001F, U+007F-U+009F) or U+2028/U+2029";

  private static final Set<String> FOREIGN_DOCUMENTS = Set.of("/sbom", "/provenance");

  private ManifestLint() {}

  static void check(JsonNode node, String pointer, List<Violation> out) {
    boolean foreign =
        FOREIGN_DOCUMENTS.stream().anyMatch(d -> pointer.equals(d) || pointer.startsWith(d + "/"));
    if (node.isTextual()) {
      checkText(node.textValue(), pointer, foreign, out);
    } else if (node.isNumber() && !node.isIntegralNumber() && !foreign) {
      out.add(
          new Violation(pointer, "must be an integer; fractional numbers are not allowed here"));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), pointer + "/" + i, out);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = pointer + "/" + escape(field.getKey());
        checkText(field.getKey(), child, foreign, out);
        check(field.getValue(), child, out);
      }
    }
  }

  private static void checkText(String text, String pointer, boolean foreign, List<Violation> out) {
    if (!foreign && hasControlCharacter(text)) {
      out.add(new Violation(pointer, CONTROL_CHARACTERS));
    }
    if (!isWellFormed(text)) {
      out.add(new Violation(pointer, "must be well-formed Unicode (no unpaired surrogates)"));
    }
  }

  static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // RFC 6901 §3: '~' is written '~0' and '/' is written '~1'.
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
