package dev.sluice.core;

import java.util.regex.Pattern;

/** Checks identifiers that appear in URLs and on the command line: lowercase slugs. */
public final class Slug {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Slug() {}

  /** Returns {@code value} if it is a slug, else throws naming {@code what}. */
  public static String check(String what, String value) {
    if (value == null || !SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be 1-63 characters of lowercase letters, digits and '-',"
              + " starting with a letter or digit");
    }
    return value;
  }
}
