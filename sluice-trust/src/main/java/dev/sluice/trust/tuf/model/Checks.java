package dev.sluice.trust.tuf.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation shared by the model's compact constructors; every failure is an IAE. */
final class Checks {
  private static final Pattern SPEC_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\.(\\d+))?");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern EXPIRES =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  // TUF §4.3 date-time "YYYY-MM-DDTHH:MM:SSZ"; STRICT rejects 2025-02-30 and 24:00:00.
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
          .withResolverStyle(ResolverStyle.STRICT);
  private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

  private Checks() {}

  static String specVersion(String specVersion) {
    Objects.requireNonNull(specVersion, "spec_version");
    Matcher m = SPEC_VERSION.matcher(specVersion);
    if (!m.matches()) {
      throw new IllegalArgumentException("spec_version \"" + specVersion + "\" is not semver");
    }
    // TUF §4.4 SPEC_VERSION: clients decide what matches; we accept any 1.x.y.
    if (!m.group(1).equals("1")) {
      throw new IllegalArgumentException(
          "unsupported spec_version \"" + specVersion + "\" (major version 1 expected)");
    }
    return specVersion;
  }

  static long version(long version) {
    if (version < 1) {
      throw new IllegalArgumentException("version must be greater than 0, got " + version);
    }
    return version;
  }

  static int threshold(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    return threshold;
  }

  static Instant expires(Instant expires) {
    Objects.requireNonNull(expires, "expires");
    if (expires.getNano() != 0 || expires.isBefore(MIN) || expires.isAfter(MAX)) {
      throw new IllegalArgumentException(
          "expires must be whole seconds in years 0000-9999, got " + expires);
    }
    return expires;
  }

  static String formatExpires(Instant expires) {
    return DATE_TIME.format(LocalDateTime.ofInstant(expires, ZoneOffset.UTC));
  }

  static Instant parseExpires(String text) {
    if (!EXPIRES.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "expires \"" + text + "\" is not of the form YYYY-MM-DDTHH:MM:SSZ");
    }
    try {
      return LocalDateTime.parse(text, DATE_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expires \"" + text + "\" is not a valid date-time", e);
    }
  }

  static String keyId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("a key id is 64 lowercase hex characters: " + keyId);
    }
    return keyId;
  }

  private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * A delegated role name. Sluice restricts names to a file-name-safe alphabet because a name
   * becomes a metadata file name ({@code N.<name>.json}); top-level role names are refused.
   */
  static String roleName(String name) {
    if (name == null || !ROLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a delegated role name is 1-128 of [A-Za-z0-9._-], not starting with . _ or -: " + name);
    }
    if (RoleType.fromName(name).isPresent()) {
      throw new IllegalArgumentException("a delegated role cannot be named " + name);
    }
    return name;
  }

  /**
   * A target path (TUF 1.0 §4.6 TARGETPATH): relative, '/'-separated, with no empty, "." or ".."
   * segment, no backslash and no control character, so it maps safely onto files and URLs.
   */
  static String targetPath(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("a target path must not be empty");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("target path \"" + path + "\" has a bad segment");
      }
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException("target path \"" + path + "\" has a bad character");
      }
    }
    return unicode(path);
  }

  /** Refuses strings with unpaired surrogates: they have no UTF-8 form, so cannot be signed. */
  static String unicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate in \"" + s + "\"");
      }
    }
    return s;
  }

  /** Key ids as an immutable list, each well-formed and listed once. */
  static List<String> keyIds(List<String> keyIds) {
    List<String> copy = List.copyOf(keyIds);
    copy.forEach(Checks::keyId);
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new IllegalArgumentException("keyids lists a key id more than once");
    }
    return copy;
  }
}
