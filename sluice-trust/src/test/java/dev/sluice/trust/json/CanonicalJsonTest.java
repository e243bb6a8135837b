package dev.sluice.trust.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static String canonical(String json) {
    return new String(
        CanonicalJson.encode(CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);
  }

  @Test
  void sortsKeysAndDropsWhitespace() {
    assertThat(canonical("{ \"b\" : 1,\n \"a\" : [ 1, 2 ], \"A\": {\"z\": null, \"y\": true} }"))
        .isEqualTo("{\"A\":{\"y\":true,\"z\":null},\"a\":[1,2],\"b\":1}");
  }

  @Test
  void ordersKeysByUtf16CodeUnitsNotCodePoints() {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFD in UTF-16 code units,
    // although its code point is larger. tuf-js (JavaScript sort) uses this order.
    ObjectNode node = NODES.objectNode();
    node.put("\uFFFD", 2);
    node.put("\uD83D\uDE00", 1);
    node.put("z", 0);
    assertThat(new String(CanonicalJson.encode(node), StandardCharsets.UTF_8))
        .isEqualTo("{\"z\":0,\"\uD83D\uDE00\":1,\"\uFFFD\":2}");
  }

  @Test
  void ordersNonAsciiKeysAfterAscii() {
    assertThat(canonical("{\"é\":1,\"e\":2,\"f\":3}")).isEqualTo("{\"e\":2,\"f\":3,\"é\":1}");
  }

  @Test
  void escapesOnlyQuoteAndBackslash() {
    ObjectNode node = NODES.objectNode();
    node.put("s", "quote\" backslash\\ slash/ tab\t newline\n nul\u0000 é \uD83D\uDE00");
    byte[] encoded = CanonicalJson.encode(node);
    assertThat(encoded)
        .isEqualTo(
            "{\"s\":\"quote\\\" backslash\\\\ slash/ tab\t newline\n nul\u0000 é \uD83D\uDE00\"}"
                .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesControlCharactersAndNonAsciiRawInUtf8() {
    byte[] encoded = CanonicalJson.encode(NODES.textNode("\u0001é"));
    assertThat(encoded).containsExactly('"', 0x01, 0xC3, 0xA9, '"');
  }

  @Test
  void encodesNestedArraysAndObjects() {
    assertThat(canonical("[[], {}, [{\"b\": [1, {\"d\": 4, \"c\": 3}], \"a\": \"x\"}], false]"))
        .isEqualTo("[[],{},[{\"a\":\"x\",\"b\":[1,{\"c\":3,\"d\":4}]}],false]");
  }

  @Test
  void keepsBigIntegersExact() {
    assertThat(canonical("{\"n\": 123456789012345678901234567890, \"m\": -9223372036854775809}"))
        .isEqualTo("{\"m\":-9223372036854775809,\"n\":123456789012345678901234567890}");
    assertThat(CanonicalJson.encode(NODES.numberNode(BigInteger.TWO.pow(100))))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo(BigInteger.TWO.pow(100).toString());
  }

  @Test
  void refusesDecimalNumbersAndSaysWhere() {
    assertThatThrownBy(() -> canonical("{\"signed\": {\"version\": 1.0}}"))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("non-integral number")
        .extracting(e -> ((CanonicalJsonException) e).pointer())
        .isEqualTo("/signed/version");
    assertThatThrownBy(() -> canonical("[1e3]")).isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void refusesFloatingPointNodesIncludingNaN() {
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.numberNode(Double.NaN)))
        .isInstanceOf(CanonicalJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.numberNode(1.5f)))
        .isInstanceOf(CanonicalJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.numberNode(new BigDecimal("2"))))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void refusesUnpairedSurrogates() {
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.textNode("a\uD800b")))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("unpaired surrogate U+D800");
    ObjectNode node = NODES.objectNode();
    node.put("\uDC00", 1);
    assertThatThrownBy(() -> CanonicalJson.encode(node)).isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void refusesBinaryAndPojoNodes() {
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.binaryNode(new byte[] {1})))
        .isInstanceOf(CanonicalJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.encode(NODES.pojoNode(new Object())))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void refusesTooDeepNesting() {
    JsonNode node = NODES.nullNode();
    for (int i = 0; i <= CanonicalJson.MAX_DEPTH + 1; i++) {
      node = NODES.arrayNode().add(node);
    }
    JsonNode deep = node;
    assertThatThrownBy(() -> CanonicalJson.encode(deep))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("nesting deeper");
  }

  @Test
  void parseRefusesDuplicateKeys() {
    assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\":1,\"a\":2}")))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("Duplicate");
    assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"x\":{\"a\":1,\"a\":1}}")))
        .isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void parseRefusesTrailingGarbageEmptyInputAndBadUtf8() {
    assertThatThrownBy(() -> CanonicalJson.parse(bytes("{} {}")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.parse(bytes("{}x")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.parse(bytes("  ")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> CanonicalJson.parse(new byte[] {'"', (byte) 0xC3, '"'}))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void parseKeepsDecimalsExactSoTheyAreReportedNotRounded() {
    JsonNode node = CanonicalJson.parse(bytes("1.10"));
    assertThat(node.decimalValue()).isEqualTo(new BigDecimal("1.10"));
  }

  @Test
  void mapperDoesNotCoerceFloatsToInts() {
    assertThatThrownBy(() -> CanonicalJson.mapper().readValue("1.5", int.class))
        .isInstanceOf(com.fasterxml.jackson.databind.exc.MismatchedInputException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
