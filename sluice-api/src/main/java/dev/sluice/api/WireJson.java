package dev.sluice.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper factory of Sluice. Every module reads and writes JSON through a mapper made
 * here, so input is equally strict everywhere:
 *
 * <ul>
 *   <li>RFC 8259 only: no comments, no single quotes, no NaN;
 *   <li>a duplicate object key is refused (never "last one wins");
 *   <li>nothing may follow the document;
 *   <li>a record refuses a property it does not declare, unless it says otherwise with
 *       {@code @JsonIgnoreProperties(ignoreUnknown = true)} (answers read by clients do, so that a
 *       newer server can add fields);
 *   <li>no float for an integer, no null for a primitive;
 *   <li>record components are named in snake_case on the wire ({@code manifestSha256} is {@code
 *       manifest_sha256}), as the API always has.
 * </ul>
 *
 * Canonical JSON for signed and hashed documents is not made here: it lives with the signatures in
 * {@code sluice-trust}.
 */
public final class WireJson {
  /** The strict mapper, for everything but documents with their own limits. */
  public static final JsonMapper MAPPER = builder().build();

  /** The strict mapper writing indented output, for people. */
  public static final JsonMapper PRETTY =
      builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private WireJson() {}

  /** A builder with every strictness rule of the wire already set, to add limits to. */
  public static JsonMapper.Builder builder() {
    return builder(StreamReadConstraints.defaults());
  }

  /** As {@link #builder()}, with other read limits (e.g. a longer largest string). */
  public static JsonMapper.Builder builder(StreamReadConstraints constraints) {
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(constraints)
            .build();
    return strict(JsonMapper.builder(factory)).disable(JsonParser.Feature.ALLOW_COMMENTS);
  }

  /**
   * Applies the strictness rules to a builder of another format (the YAML configuration file): no
   * duplicate keys, no trailing content, unknown properties refused, no silent coercions.
   */
  public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
    return builder
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }
}
