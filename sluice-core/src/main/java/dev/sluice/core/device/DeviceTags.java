package dev.sluice.core.device;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Operator-set device tags: 1-64 letters, digits, '.', '_', ':' or '-'; at most 64 a device. */
public final class DeviceTags {
  public static final int MAX_TAGS = 64;
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private DeviceTags() {}

  public static String check(String tag) {
    if (tag == null || !FORMAT.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "a tag is 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit;"
              + " got '"
              + tag
              + "'");
    }
    return tag;
  }

  /** The tags, each checked, as a sorted set of at most {@link #MAX_TAGS}. */
  public static Set<String> checkAll(Collection<String> tags) {
    Set<String> out = new TreeSet<>();
    for (String tag : tags) {
      out.add(check(tag));
    }
    if (out.size() > MAX_TAGS) {
      throw new IllegalArgumentException("a device has at most " + MAX_TAGS + " tags");
    }
    return out;
  }
}
