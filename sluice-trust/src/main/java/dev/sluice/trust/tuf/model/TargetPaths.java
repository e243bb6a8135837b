package dev.sluice.trust.tuf.model;

import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which target paths a delegated role is trusted for (TUF 1.0 §4.6 DELEGATIONS): shell-style path
 * patterns or SHA-256 path hash prefixes. A role may only ever speak for paths it {@link #matches}.
 */
public sealed interface TargetPaths {
  /** Whether this role is trusted for the target path. */
  boolean matches(String targetPath);

  /** Patterns as the spec's "paths": see {@link Patterns#matches}. */
  static TargetPaths patterns(String... patterns) {
    return new Patterns(List.of(patterns));
  }

  /**
   * TUF {@code "paths"}. {@code *} matches any run of characters and {@code ?} any one character,
   * never across '/': a path matches when it has as many '/'-separated segments as the pattern and
   * each segment matches its pattern segment (as python-tuf's fnmatch per segment). Character
   * classes ({@code [...]}) are not supported and refused, so no two clients can disagree on them.
   */
  record Patterns(List<String> patterns) implements TargetPaths {
    public Patterns {
      patterns = List.copyOf(patterns);
      for (String pattern : patterns) {
        if (pattern.isEmpty() || pattern.indexOf('[') >= 0 || pattern.indexOf(']') >= 0) {
          throw new IllegalArgumentException("unsupported path pattern \"" + pattern + "\"");
        }
        Checks.unicode(pattern);
      }
    }

    @Override
    public boolean matches(String targetPath) {
      String[] path = targetPath.split("/", -1);
      for (String pattern : patterns) {
        String[] parts = pattern.split("/", -1);
        if (parts.length == path.length && segmentsMatch(parts, path)) {
          return true;
        }
      }
      return false;
    }

    private static boolean segmentsMatch(String[] patterns, String[] segments) {
      for (int i = 0; i < patterns.length; i++) {
        if (!glob(patterns[i].codePoints().toArray(), segments[i].codePoints().toArray())) {
          return false;
        }
      }
      return true;
    }

    /** Linear-time wildcard match with backtracking to the last '*' only. */
    private static boolean glob(int[] pattern, int[] text) {
      int p = 0;
      int t = 0;
      int star = -1;
      int starText = 0;
      while (t < text.length) {
        if (p < pattern.length && (pattern[p] == '?' || pattern[p] == text[t])) {
          p++;
          t++;
        } else if (p < pattern.length && pattern[p] == '*') {
          star = p++;
          starText = t;
        } else if (star >= 0) {
          p = star + 1;
          t = ++starText;
        } else {
          return false;
        }
      }
      while (p < pattern.length && pattern[p] == '*') {
        p++;
      }
      return p == pattern.length;
    }
  }

  /** TUF {@code "path_hash_prefixes"}: the hex SHA-256 of the UTF-8 path starts with a prefix. */
  record HashPrefixes(List<String> prefixes) implements TargetPaths {
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{1,64}");

    public HashPrefixes {
      prefixes = List.copyOf(prefixes);
      for (String prefix : prefixes) {
        if (!HEX_PREFIX.matcher(prefix).matches()) {
          throw new IllegalArgumentException("bad path hash prefix \"" + prefix + "\"");
        }
      }
    }

    @Override
    public boolean matches(String targetPath) {
      String hash = Sha256.of(targetPath.getBytes(StandardCharsets.UTF_8)).hex();
      return prefixes.stream().anyMatch(hash::startsWith);
    }
  }
}
