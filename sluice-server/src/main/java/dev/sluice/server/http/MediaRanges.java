package dev.sluice.server.http;

import java.util.Locale;

/**
 * Content negotiation over {@code Accept} (RFC 9110 §12.5.1) and {@code Accept-Encoding} (§12.5.3):
 * a media type or coding is acceptable when the most specific range that matches it has a quality
 * above zero.
 */
final class MediaRanges {
  private MediaRanges() {}

  /** Whether {@code accept} admits {@code mediaType} (e.g. application/json). */
  static boolean accepts(String accept, String mediaType) {
    if (mediaType.equals("*/*")) {
      return true;
    }
    String type = mediaType.toLowerCase(Locale.ROOT);
    String major = type.substring(0, type.indexOf('/') + 1);
    int best = -1;
    double quality = 0;
    for (String part : accept.split(",")) {
      String[] pieces = part.split(";");
      String range = pieces[0].strip().toLowerCase(Locale.ROOT);
      int specificity;
      if (range.equals(type)) {
        specificity = 2;
      } else if (range.equals(major + "*")) {
        specificity = 1;
      } else if (range.equals("*/*") || range.equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      if (specificity > best) {
        best = specificity;
        quality = quality(pieces);
      }
    }
    return best >= 0 && quality > 0;
  }

  /** Whether {@code acceptEncoding} admits the content coding {@code coding} (e.g. gzip). */
  static boolean acceptsCoding(String acceptEncoding, String coding) {
    if (acceptEncoding == null) {
      return false;
    }
    int best = -1;
    double quality = 0;
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String name = pieces[0].strip().toLowerCase(Locale.ROOT);
      int specificity = name.equals(coding) ? 1 : name.equals("*") ? 0 : -1;
      if (specificity > best) {
        best = specificity;
        quality = quality(pieces);
      }
    }
    return best >= 0 && quality > 0;
  }

  private static double quality(String[] pieces) {
    for (int i = 1; i < pieces.length; i++) {
      String p = pieces[i].strip();
      if (p.length() > 2 && (p.startsWith("q=") || p.startsWith("Q="))) {
        try {
          return Double.parseDouble(p.substring(2).strip());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
