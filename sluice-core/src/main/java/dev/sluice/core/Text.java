package dev.sluice.core;

/** Validation of free text that people type: bounded length, no control characters. */
public final class Text {
  private Text() {}

  /**
   * Returns {@code value} stripped, or throws {@link IllegalArgumentException} naming {@code field}
   * when it is blank (if required), longer than {@code maxLength}, or contains control characters
   * other than line breaks and tabs (when {@code multiline}).
   */
  public static String check(
      String field, String value, int maxLength, boolean required, boolean multiline) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return "";
    }
    String stripped = value.strip();
    if (stripped.length() > maxLength) {
      throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
    }
    for (int i = 0; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      boolean allowedBreak = multiline && (c == '\n' || c == '\t' || c == '\r');
      if (Character.isISOControl(c) && !allowedBreak) {
        throw new IllegalArgumentException(field + " contains a control character");
      }
    }
    return stripped;
  }
}
