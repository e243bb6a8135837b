package dev.sluice.server.ddi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An HTTP {@code Range: bytes=...} header (RFC 9110 §14) resolved against a file's length. A header
 * that is not a byte-range set is ignored (the whole file is sent); one whose ranges all lie beyond
 * the end, or with more ranges than {@link #MAX_RANGES}, is unsatisfiable (416). Overlapping and
 * adjacent ranges are merged, and ranges that add up to more than the file get the whole file, so
 * that no response is larger than the file plus the multipart framing.
 */
record ByteRanges(List<Range> ranges) {
  static final int MAX_RANGES = 16;

  /** An inclusive byte range. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }
  }

  /** What a Range header asks for. */
  sealed interface Outcome {
    /** No (usable) Range header: the whole file. */
    record Whole() implements Outcome {}

    /** Serve these ranges (206). */
    record Partial(List<Range> ranges) implements Outcome {}

    /** Nothing of it can be served (416). */
    record Unsatisfiable() implements Outcome {}
  }

  static Outcome parse(Optional<String> header, long length) {
    if (header.isEmpty()) {
      return new Outcome.Whole();
    }
    String h = header.get().strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.length() > 1024) {
      return h.length() > 1024 ? new Outcome.Unsatisfiable() : new Outcome.Whole();
    }
    String[] specs = h.substring(6).split(",", -1);
    if (specs.length > MAX_RANGES) {
      return new Outcome.Unsatisfiable();
    }
    List<Range> ranges = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.strip();
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return new Outcome.Whole();
      }
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      if (!digits(a) || !digits(b) || (a.isEmpty() && b.isEmpty())) {
        return new Outcome.Whole();
      }
      if (a.length() > 18 || b.length() > 18) {
        // Beyond any file this server holds.
        return new Outcome.Unsatisfiable();
      }
      long first;
      long last;
      try {
        if (a.isEmpty()) {
          long suffix = Long.parseLong(b);
          if (suffix == 0 || length == 0) {
            continue;
          }
          first = Math.max(0, length - suffix);
          last = length - 1;
        } else {
          first = Long.parseLong(a);
          last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
          if (!b.isEmpty() && Long.parseLong(b) < first) {
            return new Outcome.Whole();
          }
          if (first >= length) {
            continue;
          }
        }
      } catch (NumberFormatException e) {
        return new Outcome.Unsatisfiable();
      }
      ranges.add(new Range(first, last));
    }
    if (ranges.isEmpty()) {
      return new Outcome.Unsatisfiable();
    }
    // RFC 9110 §14.2: a server may ignore a range set that is not worth serving as asked. Ranges
    // that add up to more than the file (e.g. sixteen times "0-") get the whole file once.
    long requested = 0;
    for (Range r : ranges) {
      requested += r.length();
    }
    if (requested > length) {
      return new Outcome.Whole();
    }
    return new Outcome.Partial(merged(ranges));
  }

  /**
   * Whether the text is empty or ASCII digits only. (Not {@code String.matches}, which compiles its
   * pattern on every call, for every Range request.)
   */
  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The ranges in order, overlapping and adjacent ones joined into one. */
  static List<Range> merged(List<Range> ranges) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(java.util.Comparator.comparingLong(Range::first));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      if (!out.isEmpty() && r.first() <= out.getLast().last() + 1) {
        Range last = out.removeLast();
        out.add(new Range(last.first(), Math.max(last.last(), r.last())));
      } else {
        out.add(r);
      }
    }
    return out;
  }
}
