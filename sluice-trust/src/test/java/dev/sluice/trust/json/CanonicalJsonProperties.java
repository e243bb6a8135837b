package dev.sluice.trust.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonProperties {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property
  void encodingIsStableThroughParsing(@ForAll("trees") JsonNode tree) {
    byte[] encoded = CanonicalJson.encode(tree);
    assertThat(CanonicalJson.encode(CanonicalJson.parse(encoded))).isEqualTo(encoded);
  }

  @Property
  void inputKeyOrderNeverChangesOutput(@ForAll("trees") JsonNode tree, @ForAll Random random) {
    assertThat(CanonicalJson.encode(reordered(tree, random))).isEqualTo(CanonicalJson.encode(tree));
  }

  @Property
  void transportFormattingNeverChangesOutput(@ForAll("trees") JsonNode tree) throws Exception {
    // Pretty-printed, with Jackson's \\uXXXX escapes: the same document, the same canonical bytes.
    byte[] pretty = CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
    assertThat(CanonicalJson.encode(CanonicalJson.parse(pretty)))
        .isEqualTo(CanonicalJson.encode(tree));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(3);
  }

  private static Arbitrary<JsonNode> tree(int depth) {
    List<Arbitrary<? extends JsonNode>> choices = new ArrayList<>();
    choices.add(strings().map(NODES::textNode));
    choices.add(Arbitraries.integers().map(NODES::numberNode));
    choices.add(Arbitraries.longs().map(NODES::numberNode));
    choices.add(
        Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
            .map(NODES::numberNode));
    choices.add(Arbitraries.of(true, false).map(NODES::booleanNode));
    choices.add(Arbitraries.just(NODES.nullNode()));
    if (depth > 0) {
      Arbitrary<JsonNode> child = tree(depth - 1);
      choices.add(child.list().ofMaxSize(4).map(CanonicalJsonProperties::array));
      choices.add(
          Arbitraries.maps(strings(), child).ofMaxSize(4).map(CanonicalJsonProperties::object));
    }
    return Arbitraries.oneOf(choices);
  }

  /**
   * Strings of any Unicode scalar values, weighted towards the characters canonical JSON escapes.
   */
  private static Arbitrary<String> strings() {
    List<Arbitrary<? extends Integer>> codePoints =
        List.of(
            Arbitraries.of((int) '"', (int) '\\', (int) '/'),
            Arbitraries.integers().between(0, 0x7F),
            Arbitraries.integers().between(0x80, 0xD7FF),
            Arbitraries.integers().between(0xE000, 0xFFFF),
            Arbitraries.integers().between(0x10000, 0x10FFFF));
    return Arbitraries.<Integer>oneOf(codePoints)
        .list()
        .ofMaxSize(6)
        .map(
            cps -> {
              StringBuilder s = new StringBuilder();
              cps.forEach(s::appendCodePoint);
              return s.toString();
            });
  }

  private static JsonNode array(List<JsonNode> items) {
    ArrayNode array = NODES.arrayNode();
    items.forEach(array::add);
    return array;
  }

  private static JsonNode object(Map<String, JsonNode> fields) {
    ObjectNode object = NODES.objectNode();
    fields.forEach(object::set);
    return object;
  }

  /** The same tree with every object's fields inserted in a random order. */
  private static JsonNode reordered(JsonNode node, Random random) {
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode();
      node.forEach(item -> array.add(reordered(item, random)));
      return array;
    }
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      Collections.shuffle(fields, random);
      ObjectNode object = NODES.objectNode();
      fields.forEach(f -> object.set(f.getKey(), reordered(f.getValue(), random)));
      return object;
    }
    return node;
  }
}
