package dev.sluice.core.tuf;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tuf.model.TargetPaths;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hashed bins (TUF 1.0 §4.6 {@code path_hash_prefixes}) a product's role signed online
 * delegates its targets to: bin {@code <product>.bin-<hh>} is trusted for the target paths whose
 * SHA-256 (hex, of the UTF-8 path) starts with {@code hh}, so a device reads one bin of about
 * 1/256th of the product's targets instead of all of them.
 *
 * <p>256 bins (one two-digit prefix each) balance the two files a device downloads after a
 * publication: the snapshot, which lists every bin (about 40 bytes each, version only), and the one
 * bin that changed (about 300 bytes per target). At 10,000 targets that is about 10 KB of snapshot
 * and 12 KB of bin, where 64 bins would need a 48 KB bin and 1,024 a 40 KB snapshot. Product names
 * cannot contain a dot, so no product's role can be named like another product's bin.
 */
public final class ProductBins {
  /** How many bins a product's targets are spread over. */
  public static final int COUNT = 256;

  private static final String SEPARATOR = ".bin-";
  private static final Pattern BIN = Pattern.compile("[a-z0-9][a-z0-9-]*\\.bin-[0-9a-f]{2}");

  private ProductBins() {}

  /** The bin of the product's role that lists {@code targetPath}. */
  public static String binOf(String productRole, String targetPath) {
    return productRole + SEPARATOR + prefixOf(targetPath);
  }

  /** Whether {@code role} is named like a bin (of any product). */
  static boolean isBin(String role) {
    return BIN.matcher(role).matches();
  }

  /** The paths a bin is trusted for. */
  static TargetPaths paths(String binRole) {
    return new TargetPaths.HashPrefixes(List.of(binRole.substring(binRole.length() - 2)));
  }

  private static String prefixOf(String targetPath) {
    byte[] hash = Sha256.of(targetPath.getBytes(StandardCharsets.UTF_8)).bytes();
    return HexFormat.of().toHexDigits(hash[0]);
  }
}
