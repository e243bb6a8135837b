package dev.sluice.core.tuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Targets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The next version of a role signed offline, waiting for its key holder: {@code signed} is the
 * exact canonical JSON of the metadata's {@code signed} object, which is what the holder signs.
 */
public record PendingMetadata(String role, long version, byte[] signed, Instant createdAt) {
  public PendingMetadata {
    Objects.requireNonNull(role, "role");
    if (version < 1) {
      throw new IllegalArgumentException("a metadata version is at least 1");
    }
    signed = signed.clone();
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public byte[] signed() {
    return signed.clone();
  }

  /** SHA-256 of the signed bytes: what a signer names to say which bytes it signed. */
  public Sha256 sha256() {
    return Sha256.of(signed);
  }

  /**
   * The metadata file with no signatures: what {@code GET /api/v1/tuf/pending/{product}} serves and
   * the holder signs.
   */
  public Metadata<Targets> metadata() {
    ObjectNode file = JsonNodeFactory.instance.objectNode();
    file.putArray("signatures");
    file.set("signed", CanonicalJson.parse(signed));
    Metadata<Targets> md = Metadata.parse(CanonicalJson.encode(file), Targets.class);
    if (!Arrays.equals(md.signedBytes(), signed)) {
      throw new IllegalStateException("pending metadata is not in canonical form");
    }
    return md;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingMetadata p
        && role.equals(p.role)
        && version == p.version
        && Arrays.equals(signed, p.signed)
        && createdAt.equals(p.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, version, Arrays.hashCode(signed), createdAt);
  }

  @Override
  public String toString() {
    return "PendingMetadata[" + version + "." + role + ".json " + sha256().hex() + "]";
  }
}
