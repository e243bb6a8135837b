package dev.sluice.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Parses JSON strictly: RFC 8259 only (no comments, single quotes, NaN), duplicate keys rejected,
 * nothing after the document, bounded nesting and number length.
 */
final class StrictJson {
  static final int MAX_DEPTH = 64;

  private static final ObjectMapper MAPPER =
      WireJson.builder(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(100)
                  .maxStringLength(ReleaseManifest.MAX_BYTES)
                  .build())
          .build();

  private StrictJson() {}

  static JsonNode parse(byte[] json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ManifestException(List.of(new Violation(pointerOf(e), describe(e))));
    } catch (IOException e) {
      throw new UncheckedIOException("reading from a byte array cannot fail", e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ManifestException(List.of(new Violation("", "the manifest is empty")));
    }
    return tree;
  }

  private static String pointerOf(JsonProcessingException e) {
    if (e instanceof StreamReadException read && read.getProcessor() instanceof JsonParser p) {
      JsonStreamContext context = p.getParsingContext();
      if (context != null) {
        return context.pathAsPointer().toString();
      }
    }
    return "";
  }

  private static String describe(JsonProcessingException e) {
    String message = "not valid JSON: " + e.getOriginalMessage();
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message +=
          " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")";
    }
    return message;
  }
}
