package dev.sluice.core.action;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The legacy digests DDI clients expect next to SHA-256 ({@code hashes.sha1}, {@code hashes.md5}),
 * computed once per blob, on first need, and kept by content address.
 */
public record ArtifactDigests(Sha256 sha256, String sha1, String md5) {
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

  public ArtifactDigests {
    Objects.requireNonNull(sha256, "sha256");
    if (sha1 == null || !SHA1.matcher(sha1).matches()) {
      throw new IllegalArgumentException("a SHA-1 is 40 lowercase hex digits");
    }
    if (md5 == null || !MD5.matcher(md5).matches()) {
      throw new IllegalArgumentException("an MD5 is 32 lowercase hex digits");
    }
  }
}
