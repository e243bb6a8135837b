package dev.sluice.core.token;

import dev.sluice.core.Text;
import java.util.Locale;
import java.util.Set;

/**
 * Labels of new API tokens. A label names who holds a token in lists and in the audit trail (next
 * to the token's id), so names that would read as the server itself are refused.
 */
public final class TokenLabels {
  public static final int MAX_LENGTH = 200;
  private static final Set<String> RESERVED = Set.of("system", "server", "admin", "root");

  private TokenLabels() {}

  /** Returns the label stripped, or throws naming the rule it breaks. */
  public static String checkNew(String label) {
    if (label != null && label.chars().anyMatch(TokenLabels::unsafe)) {
      throw new IllegalArgumentException(
          "a token label may not contain control or bidirectional-override characters");
    }
    String checked = Text.check("a token label", label, MAX_LENGTH, true, false);
    String folded = checked.toLowerCase(Locale.ROOT);
    if (RESERVED.contains(folded) || folded.startsWith("sluice")) {
      throw new IllegalArgumentException(
          "the token label '"
              + checked
              + "' is reserved (system, server, admin, root and anything starting with sluice)");
    }
    return checked;
  }

  private static boolean unsafe(int c) {
    return Character.isISOControl(c)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F
        || c == 0x061C;
  }
}
