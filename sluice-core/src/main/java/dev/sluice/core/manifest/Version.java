package dev.sluice.core.manifest;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A release version: dot-separated numeric components without leading zeros ({@code 14}, {@code
 * 2026.11}, {@code 14.2.0}, {@code 1.2.3.4}), optionally followed by a SemVer 2.0.0 pre-release
 * ({@code -rc.1}) and build metadata ({@code +build.7}). At most 64 characters.
 *
 * <p>Ordering follows SemVer 2.0.0 §11, generalised to any number of numeric components: missing
 * components count as 0, so {@code 1.2} and {@code 1.2.0} have equal precedence, and build metadata
 * is ignored. Hence {@link #compareTo} is not consistent with {@link #equals}, which compares the
 * exact text.
 */
public record Version(String value) implements Comparable<Version> {
  public static final int MAX_LENGTH = 64;

  private static final String NUMERIC = "(?:0|[1-9][0-9]*)";
  private static final String PRE_RELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
  private static final String BUILD_ID = "[0-9A-Za-z-]+";

  /** The syntax as a regular expression, also used (anchored) by the release manifest schema. */
  public static final String REGEX =
      NUMERIC
          + "(?:\\."
          + NUMERIC
          + ")*"
          + "(?:-"
          + PRE_RELEASE_ID
          + "(?:\\."
          + PRE_RELEASE_ID
          + ")*)?"
          + "(?:\\+"
          + BUILD_ID
          + "(?:\\."
          + BUILD_ID
          + ")*)?";

  private static final Pattern SYNTAX = Pattern.compile(REGEX);

  public Version {
    if (value == null) {
      throw new IllegalArgumentException("a version is required");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a version is at most " + MAX_LENGTH + " characters, got " + value.length());
    }
    if (!SYNTAX.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a version is dot-separated numbers without leading zeros (e.g. 14.2.0), optionally"
              + " followed by -prerelease and +build identifiers as in SemVer 2.0.0");
    }
  }

  public static Version parse(String text) {
    return new Version(text);
  }

  /** The numeric components, as decimal strings (they may exceed the range of a long). */
  public List<String> numericComponents() {
    return List.of(core().split("\\.", -1));
  }

  /** The pre-release identifiers; empty for a release version. */
  public List<String> preRelease() {
    String withoutBuild = withoutBuild();
    int dash = withoutBuild.indexOf('-');
    return dash < 0 ? List.of() : List.of(withoutBuild.substring(dash + 1).split("\\.", -1));
  }

  /** The build metadata, without the leading {@code +}; empty when absent. */
  public String buildMetadata() {
    int plus = value.indexOf('+');
    return plus < 0 ? "" : value.substring(plus + 1);
  }

  public boolean isPreRelease() {
    return !preRelease().isEmpty();
  }

  @Override
  public int compareTo(Version other) {
    int byCore = compareCores(numericComponents(), other.numericComponents());
    if (byCore != 0) {
      return byCore;
    }
    return comparePreReleases(preRelease(), other.preRelease());
  }

  /** Whether this version has strictly higher precedence than {@code other}. */
  public boolean isNewerThan(Version other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return value;
  }

  private String withoutBuild() {
    int plus = value.indexOf('+');
    return plus < 0 ? value : value.substring(0, plus);
  }

  private String core() {
    String withoutBuild = withoutBuild();
    int dash = withoutBuild.indexOf('-');
    return dash < 0 ? withoutBuild : withoutBuild.substring(0, dash);
  }

  private static int compareCores(List<String> left, List<String> right) {
    int length = Math.max(left.size(), right.size());
    for (int i = 0; i < length; i++) {
      String a = i < left.size() ? left.get(i) : "0";
      String b = i < right.size() ? right.get(i) : "0";
      int c = compareNumeric(a, b);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  // SemVer 2.0.0 §11.3: a pre-release version has lower precedence than the release.
  // §11.4: identifiers compared left to right; numeric ones numerically, others in ASCII order,
  // numeric below alphanumeric, and a longer list wins when all preceding identifiers are equal.
  private static int comparePreReleases(List<String> left, List<String> right) {
    if (left.isEmpty() || right.isEmpty()) {
      return Boolean.compare(left.isEmpty(), right.isEmpty());
    }
    for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
      int c = comparePreReleaseIdentifiers(left.get(i), right.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(left.size(), right.size());
  }

  private static int comparePreReleaseIdentifiers(String a, String b) {
    boolean aNumeric = isDigits(a);
    boolean bNumeric = isDigits(b);
    if (aNumeric && bNumeric) {
      return compareNumeric(a, b);
    }
    if (aNumeric != bNumeric) {
      return aNumeric ? -1 : 1;
    }
    return Integer.signum(a.compareTo(b));
  }

  // Both are digit strings without leading zeros, so the longer one is the larger number.
  private static int compareNumeric(String a, String b) {
    if (a.length() != b.length()) {
      return Integer.compare(a.length(), b.length());
    }
    return Integer.signum(a.compareTo(b));
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }
}
