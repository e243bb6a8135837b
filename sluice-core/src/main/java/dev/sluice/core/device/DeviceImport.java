package dev.sluice.core.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Violation;
import dev.sluice.core.product.ProductName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a bulk registration file: CSV with a header naming {@code controller_id}, {@code product}
 * and optionally {@code tags} ({@code ;}-separated) and {@code token}, or a JSON array of objects
 * with those fields ({@code tags} a list). Every bad row is reported, by line (CSV) or JSON
 * pointer.
 */
public final class DeviceImport {
  /** The most devices one file may register. */
  public static final int MAX_ROWS = 100_000;

  private static final ObjectMapper JSON = WireJson.MAPPER;
  private static final Set<String> COLUMNS = Set.of("controller_id", "product", "tags", "token");

  private DeviceImport() {}

  /** A row that parsed, and where it is in the file. */
  public record Row(String location, NewDevice device) {}

  /** The rows that parsed and the problems of those that did not. */
  public record Parsed(List<Row> rows, List<Violation> violations) {
    public Parsed {
      rows = List.copyOf(rows);
      violations = List.copyOf(violations);
    }
  }

  public static Parsed csv(byte[] bytes) {
    String text = utf8(bytes);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    List<Row> rows = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    int headerIndex = 0;
    while (headerIndex < lines.length && lines[headerIndex].isBlank()) {
      headerIndex++;
    }
    if (headerIndex == lines.length) {
      throw new SluiceException.InvalidInput(
          "the CSV file is empty; it needs a header such as controller_id,product,tags,token");
    }
    List<String> rawHeader = fields(lines[headerIndex]);
    List<String> header =
        rawHeader == null ? List.of() : rawHeader.stream().map(String::strip).toList();
    String headerProblem = headerProblem(header);
    if (headerProblem != null) {
      throw new SluiceException.InvalidInput(
          "the CSV header is invalid: " + headerProblem,
          List.of(new Violation("line " + (headerIndex + 1), headerProblem)),
          null);
    }
    for (int i = headerIndex + 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String location = "line " + (i + 1);
      if (rows.size() + violations.size() >= MAX_ROWS) {
        throw tooMany();
      }
      List<String> values = fields(lines[i]);
      if (values == null) {
        violations.add(new Violation(location, "a quoted field is not closed"));
        continue;
      }
      if (values.size() != header.size()) {
        violations.add(
            new Violation(
                location, "has " + values.size() + " fields; the header names " + header.size()));
        continue;
      }
      try {
        String id = values.get(header.indexOf("controller_id")).strip();
        String product = values.get(header.indexOf("product")).strip();
        List<String> tags =
            header.contains("tags")
                ? Arrays.stream(values.get(header.indexOf("tags")).split(";"))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .toList()
                : List.of();
        Optional<String> token =
            header.contains("token")
                ? Optional.of(values.get(header.indexOf("token")).strip()).filter(t -> !t.isEmpty())
                : Optional.empty();
        rows.add(new Row(location, device(id, product, tags, token)));
      } catch (IllegalArgumentException e) {
        violations.add(new Violation(location, e.getMessage()));
      }
    }
    return new Parsed(rows, violations);
  }

  public static Parsed json(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new SluiceException.InvalidInput(
          "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SluiceException.InvalidInput("the body could not be read as JSON");
    }
    if (root == null || !root.isArray()) {
      throw new SluiceException.InvalidInput(
          "a JSON device list is an array of {\"controller_id\", \"product\", \"tags\", \"token\"}");
    }
    if (root.size() > MAX_ROWS) {
      throw tooMany();
    }
    List<Row> rows = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String location = "/" + i;
      try {
        rows.add(new Row(location, jsonDevice(root.get(i))));
      } catch (IllegalArgumentException e) {
        violations.add(new Violation(location, e.getMessage()));
      }
    }
    return new Parsed(rows, violations);
  }

  private static NewDevice jsonDevice(JsonNode item) {
    if (item == null || !item.isObject()) {
      throw new IllegalArgumentException("must be an object");
    }
    for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!COLUMNS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + name + "' (allowed: controller_id, product, tags, token)");
      }
    }
    List<String> tags = new ArrayList<>();
    JsonNode tagList = item.get("tags");
    if (tagList != null && !tagList.isNull()) {
      if (!tagList.isArray()) {
        throw new IllegalArgumentException("tags must be a list of strings");
      }
      for (JsonNode tag : tagList) {
        if (!tag.isTextual()) {
          throw new IllegalArgumentException("tags must be a list of strings");
        }
        tags.add(tag.textValue());
      }
    }
    return device(
        text(item, "controller_id", true),
        text(item, "product", true),
        tags,
        Optional.ofNullable(text(item, "token", false)));
  }

  private static String text(JsonNode item, String field, boolean required) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.textValue();
  }

  private static NewDevice device(
      String id, String product, List<String> tags, Optional<String> token) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("controller_id is required");
    }
    if (product == null || product.isEmpty()) {
      throw new IllegalArgumentException("product is required");
    }
    return new NewDevice(new ControllerId(id), new ProductName(product), Set.copyOf(tags), token);
  }

  private static String headerProblem(List<String> header) {
    for (String column : header) {
      if (!COLUMNS.contains(column)) {
        return "unknown column '"
            + column
            + "' (columns: controller_id, product, and optionally tags, token)";
      }
    }
    if (Set.copyOf(header).size() != header.size()) {
      return "a column is named twice";
    }
    if (!header.contains("controller_id") || !header.contains("product")) {
      return "the header must name controller_id and product";
    }
    return null;
  }

  /** The fields of one CSV line (RFC 4180 quoting), or null if a quote is not closed. */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    out.add(field.toString());
    return out;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SluiceException.InvalidInput("the CSV file is not valid UTF-8");
    }
  }

  private static SluiceException.InvalidInput tooMany() {
    return new SluiceException.InvalidInput(
        "a bulk registration holds at most " + MAX_ROWS + " devices; split the file");
  }
}
