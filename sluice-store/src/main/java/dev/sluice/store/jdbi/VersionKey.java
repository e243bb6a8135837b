package dev.sluice.store.jdbi;

import dev.sluice.core.manifest.Version;
import java.util.List;

/**
 * A version encoded as text whose byte order is the version's precedence ({@link
 * Version#compareTo}), so SQL can order and compare installed versions with plain {@code <}.
 *
 * <p>Layout: each numeric core component as a two-digit length and its digits, trailing zero
 * components dropped (1.2 and 1.2.0 are equal); then {@code '!'} (below every digit, so a shorter
 * core sorts first); then {@code '~'} for a release (above every pre-release), or the pre-release
 * identifiers, each {@code '0'} + length + digits when numeric or {@code '1'} + the identifier when
 * alphanumeric, separated by {@code '!'} (below every identifier character, so a shorter list sorts
 * first). Build metadata is ignored, as precedence ignores it.
 */
final class VersionKey {
  private VersionKey() {}

  static String of(Version version) {
    StringBuilder key = new StringBuilder();
    List<String> core = version.numericComponents();
    int last = core.size() - 1;
    while (last >= 0 && core.get(last).equals("0")) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      appendNumber(key, core.get(i));
    }
    key.append('!');
    List<String> pre = version.preRelease();
    if (pre.isEmpty()) {
      return key.append('~').toString();
    }
    for (int i = 0; i < pre.size(); i++) {
      if (i > 0) {
        key.append('!');
      }
      String id = pre.get(i);
      if (id.chars().allMatch(c -> c >= '0' && c <= '9')) {
        key.append('0');
        appendNumber(key, id);
      } else {
        key.append('1').append(id);
      }
    }
    return key.toString();
  }

  private static void appendNumber(StringBuilder key, String digits) {
    // Versions are at most 64 characters, so a length fits two digits.
    if (digits.length() < 10) {
      key.append('0');
    }
    key.append(digits.length()).append(digits);
  }
}
