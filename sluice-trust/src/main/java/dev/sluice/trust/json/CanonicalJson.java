package dev.sluice.trust.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one canonical JSON form Sluice signs and verifies: the OLPC canonical JSON dialect used by
 * TUF 1.0 (§4.2, "the canonical JSON format") as implemented by securesystemslib's {@code
 * encode_canonical} and tuf-js's {@code @tufjs/canonical-json}. Signing these exact bytes is what
 * lets standard TUF clients verify Sluice metadata, and lets any two parties agree on what a
 * signature covers whatever whitespace or key order a document was transmitted with.
 *
 * <p>Rules: object keys sorted by {@link String#compareTo} (UTF-16 code units, which is what
 * JavaScript's {@code Array.prototype.sort} and therefore tuf-js does); no whitespace; strings in
 * UTF-8 with only {@code "} and {@code \} escaped (every other character, control characters and
 * non-ASCII included, is written raw); integers only, of any size; {@code true}, {@code false},
 * {@code null}. Floating-point and decimal numbers have no canonical form and are refused, as are
 * strings holding unpaired surrogates (they have no UTF-8 encoding).
 *
 * <p>Note: securesystemslib (Python) and go-securesystemslib sort keys by code point instead. The
 * two orders differ only when keys at the same position hold a supplementary character (U+10000 and
 * above) against a character in U+E000..U+FFFF; TUF metadata keys never do in practice (they are
 * role names, key ids, hex digests and ASCII target paths).
 */
public final class CanonicalJson {
  /** Deeper documents are refused; matches Jackson's default read limit. */
  static final int MAX_DEPTH = 1000;

  /*
   * Shared mapper, configured once:
   * - STRICT_DUPLICATE_DETECTION / FAIL_ON_READING_DUP_TREE_KEY: {"a":1,"a":2} is refused, so no
   *   two parsers can disagree on which value was signed.
   * - FAIL_ON_TRAILING_TOKENS: "{}garbage" is refused.
   * - USE_BIG_DECIMAL_FOR_FLOATS and no trailing-zero stripping: a decimal is kept exactly as
   *   written (so it is reported, not rounded); ACCEPT_FLOAT_AS_INT off: 1.5 never binds to an int.
   * - USE_BIG_INTEGER_FOR_INTS is deliberately NOT enabled: Jackson already picks int, long or
   *   BigInteger by magnitude, so no integer loses precision, and small ones stay IntNode.
   * - ALLOW_UNESCAPED_CONTROL_CHARS: canonical JSON writes control characters raw, so every
   *   document encode() produces must parse back.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .build();

  private CanonicalJson() {}

  /**
   * The shared, strictly configured mapper (see the class comment). Treat it as read-only; use
   * {@code mapper().rebuild()} for a variant.
   */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses exactly one JSON document from strict UTF-8, refusing malformed UTF-8, duplicate keys,
   * trailing content and empty input.
   *
   * @throws MalformedJsonException if the bytes are not such a document
   */
  public static JsonNode parse(byte[] json) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(json))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedJsonException("JSON is not valid UTF-8", e);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new MalformedJsonException("malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new MalformedJsonException("empty input is not a JSON document");
    }
    return node;
  }

  /**
   * Encodes a JSON tree in canonical form.
   *
   * @throws CanonicalJsonException if the tree holds a value with no canonical form
   */
  public static byte[] encode(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, "", 0, out);
    // Every string was checked for unpaired surrogates, so this encoding is lossless.
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, String pointer, int depth, StringBuilder out) {
    if (depth > MAX_DEPTH) {
      throw new CanonicalJsonException(pointer, "nesting deeper than " + MAX_DEPTH);
    }
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, pointer, depth, out);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), pointer + "/" + i, depth + 1, out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), pointer, out);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new CanonicalJsonException(pointer, "non-integral number " + node.asText());
        }
        out.append(node.bigIntegerValue());
      }
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case BINARY, POJO, MISSING ->
          throw new CanonicalJsonException(
              pointer, "no JSON form for node type " + node.getNodeType());
    }
  }

  private static void writeObject(JsonNode node, String pointer, int depth, StringBuilder out) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
    fields.sort(Map.Entry.comparingByKey());
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : fields) {
      if (!first) {
        out.append(',');
      }
      first = false;
      String childPointer = pointer + "/" + escapePointer(field.getKey());
      writeString(field.getKey(), childPointer, out);
      out.append(':');
      write(field.getValue(), childPointer, depth + 1, out);
    }
    out.append('}');
  }

  private static void writeString(String s, String pointer, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        throw new CanonicalJsonException(
            pointer, String.format("unpaired surrogate U+%04X in a string", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static String escapePointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
