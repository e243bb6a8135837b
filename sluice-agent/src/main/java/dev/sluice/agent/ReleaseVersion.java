package dev.sluice.agent;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A release version as Sluice writes them (docs/manifest.md): dot-separated numbers, an optional
 * SemVer pre-release and build metadata. Ordered by SemVer 2.0.0 §11, missing numeric components
 * counting as 0; the agent's anti-rollback rule compares with it.
 */
public record ReleaseVersion(String value) implements Comparable<ReleaseVersion> {
  private static final String NUMBER = "(?:0|[1-9][0-9]*)";
  private static final String PRE = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
  private static final Pattern SYNTAX =
      Pattern.compile(
          NUMBER
              + "(?:\\."
              + NUMBER
              + ")*(?:-"
              + PRE
              + "(?:\\."
              + PRE
              + ")*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  public ReleaseVersion {
    if (value == null || value.length() > 64 || !SYNTAX.matcher(value).matches()) {
      throw new IllegalArgumentException("not a release version: '" + value + "'");
    }
  }

  @Override
  public int compareTo(ReleaseVersion other) {
    List<String> a = numbers();
    List<String> b = other.numbers();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int c = compareDigits(i < a.size() ? a.get(i) : "0", i < b.size() ? b.get(i) : "0");
      if (c != 0) {
        return c;
      }
    }
    List<String> pa = preRelease();
    List<String> pb = other.preRelease();
    // §11.3: a pre-release precedes the release itself.
    if (pa.isEmpty() || pb.isEmpty()) {
      return Boolean.compare(pa.isEmpty(), pb.isEmpty());
    }
    for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
      String x = pa.get(i);
      String y = pb.get(i);
      boolean xn = x.chars().allMatch(Character::isDigit);
      boolean yn = y.chars().allMatch(Character::isDigit);
      int c =
          xn && yn
              ? compareDigits(x, y)
              : xn != yn ? (xn ? -1 : 1) : Integer.signum(x.compareTo(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pa.size(), pb.size());
  }

  /** Whether this version is strictly older than {@code other}. */
  public boolean isOlderThan(ReleaseVersion other) {
    return compareTo(other) < 0;
  }

  @Override
  public String toString() {
    return value;
  }

  private String withoutBuild() {
    int plus = value.indexOf('+');
    return plus < 0 ? value : value.substring(0, plus);
  }

  private List<String> numbers() {
    String v = withoutBuild();
    int dash = v.indexOf('-');
    return Arrays.asList((dash < 0 ? v : v.substring(0, dash)).split("\\."));
  }

  private List<String> preRelease() {
    String v = withoutBuild();
    int dash = v.indexOf('-');
    return dash < 0 ? List.of() : Arrays.asList(v.substring(dash + 1).split("\\."));
  }

  private static int compareDigits(String a, String b) {
    return a.length() != b.length()
        ? Integer.compare(a.length(), b.length())
        : Integer.signum(a.compareTo(b));
  }
}
