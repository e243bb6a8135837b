package dev.sluice.core.manifest;

import java.util.regex.Pattern;

/**
 * The file name of a release artifact, as devices will see it. Safe to use as a path segment and in
 * URLs: no separators, no traversal, no control or white-space characters.
 */
public record ArtifactName(String value) {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  public ArtifactName {
    if (value == null || !SAFE.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          "an artifact name is 1-128 characters of letters, digits, '.', '_', '+' and '-',"
              + " starts with a letter or digit and has no '..'");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
