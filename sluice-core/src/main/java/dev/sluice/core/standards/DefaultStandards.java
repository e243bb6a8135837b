package dev.sluice.core.standards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The standards set Sluice ships, {@value #ID} version 1: version and patch level never go back,
 * exactly the declared artifacts are uploaded with the declared digests and within the size limit,
 * components have versions and licenses, capability changes and network endpoints are declared, and
 * the SBOM and provenance (when given) agree with the release. Its source is the resource {@code
 * sluice-default.standards.json} next to this class.
 */
public final class DefaultStandards {
  public static final String ID = "sluice-default";
  static final String RESOURCE = "sluice-default.standards.json";

  private DefaultStandards() {}

  /** The default set. */
  public static StandardsSet get() {
    return Holder.SET;
  }

  private static final class Holder {
    static final StandardsSet SET = load();
  }

  private static StandardsSet load() {
    try (InputStream in = DefaultStandards.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      JsonNode json = WireJson.MAPPER.readTree(in);
      return StandardsJson.setFromJson(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
