package dev.sluice.core.device;

/** Matching text against a pattern in which {@code *} stands for any run of characters. */
final class Wildcards {
  private Wildcards() {}

  static boolean matches(String pattern, String text) {
    // Greedy glob matching with backtracking to the last star: linear in practice.
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
